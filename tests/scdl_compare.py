#!/usr/bin/env python3
"""scdl_compare.py DATA_DIR REFERENCE_DIR - check that odl's own SCDL schema
files enforce the same rules as the official schema.json files.

Compared: field names and order, type, format, trueValues/falseValues,
constraints (exact values, patterns and enums included), arrayItem rules,
missingValues (absent = [""], frictionless's default), custom_checks (names
and params, in order).  Titles and descriptions are ours and not compared.
Also checks index.json against the files.  Prints one line per difference;
exit 0 when none, 1 otherwise, 2 on a missing file.
"""
import json
import os
import sys

RULES = ("type", "format", "trueValues", "falseValues", "constraints")


def rules(field):
    out = {k: field[k] for k in RULES if k in field}
    if "arrayItem" in field:
        out["arrayItem"] = {k: v for k, v in field["arrayItem"].items() if k in RULES}
    return out


def compare(name, ours, official):
    diffs = []
    on = [f["name"] for f in ours["fields"]]
    rn = [f["name"] for f in official["fields"]]
    if on != rn:
        diffs.append(f"{name}: field names or order differ: {on} != {rn}")
        return diffs
    for o, r in zip(ours["fields"], official["fields"]):
        ro, rr = rules(o), rules(r)
        for key in sorted(set(ro) | set(rr)):
            if ro.get(key) != rr.get(key):
                diffs.append(f"{name}: field '{o['name']}' {key}: "
                             f"{json.dumps(ro.get(key), ensure_ascii=False)} != "
                             f"{json.dumps(rr.get(key), ensure_ascii=False)}")
    mo = ours.get("missingValues", [""])
    mr = official.get("missingValues", [""])
    if mo != mr:
        diffs.append(f"{name}: missingValues {mo} != {mr}")
    co = ours.get("custom_checks", [])
    cr = official.get("custom_checks", [])
    if co != cr:
        diffs.append(f"{name}: custom_checks {json.dumps(co, ensure_ascii=False)} != "
                     f"{json.dumps(cr, ensure_ascii=False)}")
    for key in ("primaryKey", "foreignKeys", "fieldsMatch"):
        if ours.get(key) != official.get(key):
            diffs.append(f"{name}: {key} differs")
    return diffs


def main():
    if len(sys.argv) != 3:
        print("usage: scdl_compare.py DATA_DIR REFERENCE_DIR", file=sys.stderr)
        return 2
    data, ref = sys.argv[1], sys.argv[2]
    try:
        with open(os.path.join(data, "schemas", "scdl", "index.json"), encoding="utf-8") as f:
            index = json.load(f)
        diffs = []
        checked = 0
        for name, versions in sorted(index.items()):
            for version in versions:
                path = os.path.join(data, "schemas", "scdl", name, version + ".json")
                with open(path, encoding="utf-8") as f:
                    ours = json.load(f)
                with open(os.path.join(ref, name, version, "schema.json"), encoding="utf-8") as f:
                    official = json.load(f)
                if ours.get("name") != name or ours.get("version") != version:
                    diffs.append(f"{name}/{version}: name/version inside the file are "
                                 f"{ours.get('name')}/{ours.get('version')}")
                if not ours.get("title"):
                    diffs.append(f"{name}/{version}: no title")
                diffs += compare(f"{name}/{version}", ours, official)
                checked += 1
    except (OSError, ValueError) as e:
        print(f"scdl_compare: {e}", file=sys.stderr)
        return 2
    for d in diffs:
        print(d)
    print(f"{checked} schemas compared, {len(diffs)} difference(s)")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
