#!/usr/bin/env python3
"""png_stats.py FILE [RRGGBB...] - what a screenshot shows, from the PNG itself.

Decodes an 8-bit, non-interlaced RGB or RGBA PNG with the standard library
only (zlib, then the five row filters of the PNG specification) and prints:
its size, the share of pixels that are not white (a blank page is 0), the
number of distinct colours, and for each colour asked for whether it
appears (e.g. the focus bar's colour).
"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("not a PNG")
    pos, idat, width = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise SystemExit(f"unsupported PNG (depth {depth}, type {ctype})")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def main():
    width, height, bpp, rows = decode(sys.argv[1])
    want = {tuple(int(h[i:i + 2], 16) for i in (0, 2, 4)) for h in sys.argv[2:]}
    colours, nonwhite, found = set(), 0, set()
    for line in rows:
        for x in range(0, len(line), bpp):
            px = (line[x], line[x + 1], line[x + 2])
            colours.add(px)
            if px != (255, 255, 255):
                nonwhite += 1
            if px in want:
                found.add(px)
    print("size", width, "x", height)
    print("non-white share above 2%", nonwhite / (width * height) > 0.02)
    print("distinct colours above 16", len(colours) > 16)
    for h in sys.argv[2:]:
        px = tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
        print("colour", h, "present" if px in found else "absent")


main()
