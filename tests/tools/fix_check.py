#!/usr/bin/env python3
"""fix_check.py BIN_DIR WORK_DIR FILE [VALIDATE_ARG...] - the --fix contract on one file.

Checks, printing one line per broken promise (exit 1 when any):
  - the repaired file reads as UTF-8 without BOM;
  - every cell that differs between the input and the repaired file is one
    the report lists as a fix, with that very value (untouched cells are
    byte-identical);
  - fixing the repaired file changes nothing, byte for byte (idempotence);
  - validating the repaired file gives the errors --fix reported as left;
  - with the header rule off, no error class has more errors after than
    before (a column the header rule matches is checked for the first
    time, so its errors are new; the total still must not grow).
The input is read with Python's csv module in the encoding and delimiter
odl-validate --describe reports.
"""
import csv
import json
import os
import subprocess
import sys

bindir, work, path, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
validate = os.path.join(bindir, "odl-validate")
problems = []


def run(args):
    p = subprocess.run([validate, "-f", "ndjson", "--max-errors", "0"] + args,
                       capture_output=True)
    if p.returncode not in (0, 1):
        sys.exit("%s: odl-validate %s: exit %d: %s" % (path, " ".join(args), p.returncode,
                                                     p.stderr.decode(errors="replace")))
    return json.loads(p.stdout.decode().splitlines()[0])


fixed = os.path.join(work, "fixed.csv")
fixed2 = os.path.join(work, "fixed2.csv")
before = run(extra + [path])
after = run(extra + ["--fix", "--fix-output", fixed, path])
again = run(extra + ["--fix", "--fix-output", fixed2, fixed])
plain = run(extra + [fixed])

data = open(fixed, "rb").read()
if data.startswith(b"\xef\xbb\xbf"):
    problems.append("the repaired file starts with a BOM")
try:
    data.decode("utf-8")
except UnicodeDecodeError as e:
    problems.append("the repaired file is not UTF-8: %s" % e)
changed = [e for e in again.get("fixes", []) if not e.get("left")]
if changed:
    problems.append("fixing the repaired file changed %d cells: %s" % (len(changed), changed[:2]))
if open(fixed2, "rb").read() != data:
    problems.append("fixing the repaired file changed its bytes")
if plain["error_counts"] != after["error_counts"]:
    problems.append("the repaired file validates to %s, --fix said %s" % (plain["error_counts"], after["error_counts"]))
if after["error_count"] > before["error_count"]:
    problems.append("more errors after (%d) than before (%d)" % (after["error_count"], before["error_count"]))
nohead = run(extra + ["--fix", "--no-fix", "header", "--fix-output", fixed2, path])
for code, n in nohead["error_counts"].items():
    if n > before["error_counts"].get(code, 0):
        problems.append("class %s: %d errors after, %d before" % (code, n, before["error_counts"].get(code, 0)))

# untouched cells
desc = json.loads(subprocess.run([validate, "--describe", "-f", "ndjson"] + [a for a in extra if a.startswith("-e")] + [path],
                                 capture_output=True).stdout.decode().splitlines()[0])
enc = {"utf-8": "utf-8-sig", "windows-1252": "cp1252", "utf-16le": "utf-16", "utf-16be": "utf-16"}[desc["encoding"]]
opener = open
if path.endswith(".gz"):
    import gzip
    opener = gzip.open
with opener(path, "rt", encoding=enc, newline="") as f:
    rows_in = list(csv.reader(f, delimiter=desc["delimiter"]))
if rows_in and rows_in[0] and desc.get("bom"):
    # a UTF-8 byte order mark before text the reader then took as windows-1252
    for mark in ("\ufeff", "\u00ef\u00bb\u00bf"):
        if rows_in[0][0].startswith(mark):
            rows_in[0][0] = rows_in[0][0][len(mark):]
with open(fixed, encoding="utf-8", newline="") as f:
    rows_out = list(csv.reader(f, delimiter=desc["delimiter"]))
fixes = {(e["row"], e["column"]): e for e in after["fixes"] if e.get("after") is not None}
kept_in = [(i + 1 + desc.get("skipped_lines", 0), r) for i, r in enumerate(rows_in) if any(c != "" for c in r)]
kept_out = [r for r in rows_out if any(c != "" for c in r)]
if len(kept_in) != len(kept_out):
    problems.append("%d non-blank rows in, %d out" % (len(kept_in), len(kept_out)))
for (rownum, a), b in zip(kept_in, kept_out):
    for c in range(max(len(a), len(b))):
        x = a[c] if c < len(a) else ""
        y = b[c] if c < len(b) else ""
        if x != y:
            fx = fixes.get((rownum, c + 1))
            if not fx or fx["after"] != y or fx["before"] != x:
                problems.append("row %d column %d: %r became %r with no fix reported" % (rownum, c + 1, x, y))
                if len(problems) > 20:
                    break
for p in problems:
    print("%s: %s" % (path, p))
print("%s: %d errors -> %d, %d fixes" % (os.path.basename(path), before["error_count"], after["error_count"], len(after["fixes"])), file=sys.stderr)
sys.exit(1 if problems else 0)
