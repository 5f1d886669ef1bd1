#!/usr/bin/env python3
"""html_text.py FILE.html - the text a reader sees in an odl-render page:
headings, paragraphs, list items, captions and table rows (cells joined
with ' | '), one per line, so tests compare a report's content whole."""
import sys
from html.parser import HTMLParser

BLOCKS = ("h1", "h2", "h3", "h4", "caption", "p", "li", "figcaption")


class Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lines, self.row, self.cell, self.tag = [], None, None, None
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self.skip += 1
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag in BLOCKS and self.row is None:
            self.cell, self.tag = [], tag

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self.skip -= 1
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.lines.append("  | " + " | ".join(self.row))
            self.row = None
        elif tag == self.tag and self.cell is not None and self.row is None:
            self.lines.append("%s: %s" % (tag, " ".join("".join(self.cell).split())))
            self.cell, self.tag = None, None

    def handle_data(self, data):
        if self.cell is not None and not self.skip:
            self.cell.append(data)


p = Text()
with open(sys.argv[1], encoding="utf-8") as f:
    p.feed(f.read())
print("\n".join(p.lines))
