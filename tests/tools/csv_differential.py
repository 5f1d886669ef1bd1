#!/usr/bin/python3
"""csv_differential.py - odl's CSV reader against Python's csv module.

    csv_differential.py CSV_DUMP [FILES [SEED]]

Writes FILES random small CSV files (quotes anywhere, doubled quotes, CR,
LF, CRLF, delimiters inside and outside quotes, empty lines, unclosed
quotes, spaces after delimiters; one in seven of long lines of cells,
quoted ones with doubled quotes, as published files have them), reads each with Python's csv.reader
(non-strict, doublequote, quotechar '"', the file's delimiter and
skipinitialspace) and with odl through CSV_DUMP (tests/tools/csv_dump.c),
whole and in chunks of several sizes, and compares the record count and
every cell.  Also compares the skipinitialspace odl sniffs with
csv.Sniffer's (when both pick the same delimiter) and the header row odl
picks with frictionless's rule.  Prints the seed; on a difference, the
first differing file and both readings; exit 1.
"""
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time

DELIMS = [",", ";", "\t", "|"]
CHUNKS = [0, 1, 2, 3, 7, 64]


def random_file(rng, delim):
    # the long pieces take the readers' 16-byte vector search through
    # whole blocks and across block ends, not only its byte-by-byte tail
    pieces = ["a", "b", "xy", "é", " ", "  ", '"', '""', delim, delim, ",", ";",
              "\r", "\n", "\r\n", "\n\n", '"' + delim + '"', '" ', ' "',
              "abcdefghijklmnopqrstuvwxyz0123456789", "montant versé à l'association (é)"]
    weights = [6, 4, 3, 1, 3, 1, 4, 2, 6, 6, 1, 1, 2, 4, 3, 1, 1, 2, 2, 1, 1]
    n = rng.randint(0, 40)
    text = "".join(rng.choices(pieces, weights, k=n))
    if rng.random() < 0.1:
        text = '"' + text  # an unclosed quote from the start
    return text


def random_long_file(rng, delim):
    """Lines of 100 to 500 bytes, the shape of published files: cells that
    cross the readers' 64-byte windows, quoted ones with doubled quotes,
    some with a delimiter or a line break inside."""
    lines = []
    for _ in range(rng.randint(1, 6)):
        cells = []
        for _ in range(rng.randint(1, 24)):
            k = rng.randint(0, 30)
            if rng.random() < 0.3:
                text = "".join(rng.choices(["ab", "é", "0123456789", " ", '""', delim, "\n"],
                                           [8, 2, 3, 2, 3, 1, 1], k=k))
                cells.append('"' + text + '"')
            else:
                cells.append("".join(rng.choices(["ab", "é", "0123456789", " ", "x"], k=k)))
        lines.append(delim.join(cells))
    end = rng.choice(["\n", "\r\n", "\r"])
    return end.join(lines) + (end if rng.random() < 0.7 else "")


def python_rows(path, delim, skip):
    with open(path, newline="", encoding="utf-8") as f:
        return [row for row in csv.reader(f, delimiter=delim, quotechar='"',
                                          doublequote=True, skipinitialspace=skip,
                                          strict=False)]


def header_index(rows):
    """frictionless's Detector.detect_dialect on a 100-row sample."""
    sample = rows[:100]
    if not sample:
        return 0
    widths = [len(r) for r in sample]
    width = round(sum(widths) / len(widths))
    drift = max(round(width * 0.1), 1)
    for i, w in enumerate(widths):
        if width - drift <= w <= width + drift:
            return i
    return 0


def odl_read(dump, args, files):
    out = subprocess.run([dump] + args + files, stdout=subprocess.PIPE, check=True).stdout
    res, cur, name = {}, None, None
    for line in out.decode("utf-8").split("\n"):
        if line.startswith("# end") or line.startswith("# error"):
            res[name] = cur if line.startswith("# end") else line
        elif line.startswith("# "):
            name, cur = line[2:], []
        elif line:
            cur.append(json.loads(line))
    return res


def main():
    dump = sys.argv[1]
    nfiles = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else int(time.time() * 1000) % 1000000
    print("seed %d, %d files" % (seed, nfiles))
    rng = random.Random(seed)
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        groups = {}
        for i in range(nfiles):
            delim = rng.choice(DELIMS)
            skip = rng.random() < 0.5
            path = os.path.join(tmp, "f%05d.csv" % i)
            with open(path, "w", encoding="utf-8", newline="") as f:
                long_lines = rng.random() < 0.15
                f.write(random_long_file(rng, delim) if long_lines else random_file(rng, delim))
            groups.setdefault((delim, skip), []).append(path)
        bad = 0
        compared = 0
        for (delim, skip), files in sorted(groups.items()):
            want = {p: python_rows(p, delim, skip) for p in files}
            dflag = "tab" if delim == "\t" else delim
            for chunk in CHUNKS:
                args = ["-d", dflag, "-s", "1" if skip else "0"]
                if chunk:
                    args += ["-c", str(chunk)]
                got = odl_read(dump, args, files)
                for p in files:
                    compared += 1
                    if got.get(p) != want[p]:
                        bad += 1
                        if bad == 1:
                            report(p, delim, skip, chunk, want[p], got.get(p))
            # the header row, as the programs pick it
            got = odl_read(dump, ["-H", "-d", dflag, "-s", "1" if skip else "0"], files)
            for p in files:
                rows = want[p]
                exp = rows[header_index(rows):]
                compared += 1
                if got.get(p) != exp:
                    bad += 1
                    if bad == 1:
                        report(p, delim, skip, "header", exp, got.get(p))
        # skipinitialspace as csv.Sniffer decides it on the first 100 lines
        allfiles = [p for fs in groups.values() for p in fs]
        out = subprocess.run([dump, "-S"] + allfiles, stdout=subprocess.PIPE,
                             check=True).stdout.decode().split("\n")
        sniffed = 0
        for p, line in zip(allfiles, out):
            with open(p, newline="", encoding="utf-8") as f:
                sample = "".join(f.readlines()[:100])
            od, os_, reason = line.split(" ", 2)
            try:
                d = csv.Sniffer().sniff(sample, ",\t;|")
                pd, ps = d.delimiter, bool(d.skipinitialspace)
                found = True
            except csv.Error:
                pd, ps, found = ",", False, False  # Python's Excel dialect
            # compare where both found the same delimiter, or neither found one
            if found != (reason != "single column") or chr(int(od)) != pd:
                continue
            sniffed += 1
            compared += 1
            if bool(int(os_)) != ps:
                bad += 1
                if bad == 1:
                    print("FIRST DIFFERENCE (sniffed skipinitialspace): python %s, odl %s"
                          % (ps, os_))
                    print("file %r" % open(p, encoding="utf-8", newline="").read())
    print("%d files, %d readings compared (%d sniffed alike), %d differences, %.1f s"
          % (nfiles, compared, sniffed, bad, time.time() - t0))
    if bad:
        print("reproduce with: %s %s %d %d" % (sys.argv[0], dump, nfiles, seed))
    return 1 if bad else 0


def report(path, delim, skip, chunk, want, got):
    print("FIRST DIFFERENCE: delimiter %r, skipinitialspace %s, chunk %s" % (delim, skip, chunk))
    with open(path, encoding="utf-8", newline="") as f:
        print("file %r" % f.read())
    print("python %r" % (want,))
    print("odl    %r" % (got,))


if __name__ == "__main__":
    sys.exit(main())
