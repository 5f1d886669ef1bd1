#!/usr/bin/env python3
"""check_html.py PAGE - static checks of a page written by odl-render -f html.

Prints one line per property so that a test compares the whole output:
the language, the Content-Security-Policy (no network at all; the one
<style> and one <script> admitted by their SHA-256, recomputed here),
resources that would be fetched (none allowed: src=, <link>, url(),
@import), tables with header cells, charts with a title and a table beside
them.
"""
import base64
import hashlib
import re
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.lang = None
        self.csp = None
        self.tags = {}
        self.fetching = []
        self.hrefs_off_a = 0
        self.tables = 0
        self.col_headers = 0
        self.row_headers = 0
        self.body_rows = 0
        self.svgs = 0
        self.svg_titles = 0
        self.pairs = []          # [figures, tables] per div.pair
        self.pair_depth = None
        self.svg_first = False
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = a.get("content")
        for k in ("src", "srcset", "poster", "data", "background", "action", "formaction"):
            if k in a:
                self.fetching.append(f"{tag}[{k}]")
        if tag in ("link", "iframe", "object", "embed", "img", "audio", "video", "base"):
            self.fetching.append(tag)
        if "href" in a and tag != "a":
            self.hrefs_off_a += 1
        if tag == "table":
            self.tables += 1
        if tag == "th" and a.get("scope") == "col":
            self.col_headers += 1
        if tag == "th" and a.get("scope") == "row":
            self.row_headers += 1
        if tag == "tr" and "tbody" in self.stack:
            self.body_rows += 1
        if tag == "title" and self.stack and self.stack[-1] == "svg" and self.svg_first:
            self.svg_titles += 1
        self.svg_first = tag == "svg"
        if tag == "svg":
            self.svgs += 1
        if self.pair_depth is not None and len(self.stack) <= self.pair_depth:
            self.pair_depth = None
        if self.pair_depth is not None and tag in ("figure", "table"):
            self.pairs[-1][0 if tag == "figure" else 1] += 1
        if tag == "div" and a.get("class") == "pair":
            self.pairs.append([0, 0])
            self.pair_depth = len(self.stack)
        if tag not in ("meta", "br", "input", "rect", "line", "circle", "polyline", "path"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        if self.pair_depth is not None and len(self.stack) <= self.pair_depth:
            self.pair_depth = None

    def handle_data(self, data):
        self.text.append(data)


def sha(s):
    return "sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode()


def main():
    raw = open(sys.argv[1], encoding="utf-8").read()
    p = Page()
    p.feed(raw)
    styles = re.findall(r"<style>(.*?)</style>", raw, re.S)
    scripts = re.findall(r"<script>(.*?)</script>", raw, re.S)
    csp = dict((d.strip().split(" ", 1) + [""])[:2] for d in (p.csp or "").split(";") if d.strip())
    print("doctype", raw.startswith("<!DOCTYPE html>\n"))
    print("lang", p.lang)
    print("csp default-src", csp.get("default-src"))
    print("style elements", len(styles), "script elements", p.tags.get("script", 0))
    print("style hash matches", len(styles) == 1 and csp.get("style-src") == f"'{sha(styles[0])}'")
    print("script hash matches", len(scripts) == 1 and csp.get("script-src") == f"'{sha(scripts[0])}'")
    print("fetching elements", p.fetching)
    print("href outside <a>", p.hrefs_off_a)
    print("url( or @import", bool(re.search(r"url\(|@import", "".join(styles))))
    print("tables", p.tables, "with column headers", p.col_headers > 0,
          "body rows", p.body_rows, "row headers", p.row_headers)
    print("charts", p.svgs, "titled", p.svg_titles)
    print("charts beside a table", sum(1 for f, t in p.pairs if f == 1 and t == 1), "of", len(p.pairs))
    print("script as text", "<script>alert(1)</script>" in "".join(p.text))


main()
