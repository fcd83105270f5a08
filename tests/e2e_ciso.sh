#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of the CISO Assistant library YAML (issue 13): the seed
# as a library that PyYAML's safe_load reads, with CISO Assistant's
# structure (its importer's required fields, its URN pattern, its database's
# lengths), 160 nodes with their depth and parents, 121 assessable, one
# mapping per (item, ISMS reference) pair to nodes of the ISO/IEC
# 27001:2013 library CISO ships; read back; that library read; references
# to ISO/IEC 27001:2022 against the ref_ids of CISO's 2022 workbook; the
# options; YAML refused.
#   tests/e2e_ciso.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
real=/work/shared/corpora/real
py=/usr/bin/python3

# expect NAME EXIT-CODE STDERR-PATTERN -- ctlconv ARGS...   (stdin: /dev/null)
expect() {
    local name=$1 code=$2 pattern=$3
    shift 4
    "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null
    local rc=$?
    if [ "$rc" != "$code" ]; then ko "$name" "exit $rc, expected $code: $(cat "$work/err")"; return; fi
    if [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$work/err"; then
        ko "$name" "stderr lacks '$pattern': $(cat "$work/err")"; return
    fi
    ok "$name"
}

# pycheck NAME SCRIPT ARGS...: the Python script prints nothing and exits 0
pycheck() {
    local name=$1 script=$2
    shift 2
    local out
    if out=$("$py" -c "$script" "$@" 2>&1) && [ -z "$out" ]; then ok "$name"; else ko "$name" "$out"; fi
}

if ! "$py" -c 'import yaml' 2>/dev/null; then
    echo "SKIP: $py has no yaml module"
    finish
    exit
fi

# --- the seed as a library ----------------------------------------------------
cp "$seed" "$work/mic-annex2.txt"
expect "seed -> ciso-yaml (by the -o extension)" 0 "[field-dropped]" -- "$work/mic-annex2.txt" -o "$work/mic.yaml"
expect "the answers are said to be left out" 0 "121 answer(s) not written" -- -t ciso-yaml "$work/mic-annex2.txt"
expect "seed -> json (the model, to compare)" 0 "" -- -t json -o "$work/seed.json" "$seed"

pycheck "safe_load: 160 nodes, depth and parents, 121 assessable, mappings = (item, ISMS reference) pairs" '
import json, sys, yaml
lib = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
seed = json.load(open(sys.argv[2], encoding="utf-8"))
nodes = lib["objects"]["framework"]["requirement_nodes"]
by_urn = {n["urn"]: n for n in nodes}
assert len(nodes) == 160 and len(by_urn) == 160, len(nodes)
assert sum(n["assessable"] for n in nodes) == 121
for n, it in zip(nodes, seed["items"]):
    assert n["ref_id"] == it["id"] and n["depth"] == it["level"], (n["ref_id"], it["id"])
    if it["parent"]:
        p = by_urn[n["parent_urn"]]
        assert p["ref_id"] == it["parent"] and p["depth"] + 1 == n["depth"], n["urn"]
    else:
        assert "parent_urn" not in n and n["depth"] == 1
    assert n.get("name", "") == it["title"] and n.get("description", "") == it["description"]
    want = {"基本": "mandatory", "推奨": "recommended"}.get(it["category"])
    assert n.get("importance") == want, n["urn"]
pairs = [(it["id"], r["id"]) for it in seed["items"] for r in it["refs"] if r["scheme"] == "iso27001-2013"]
assert len(pairs) == 43, len(pairs)
sets = lib["objects"]["requirement_mapping_sets"]
maps = sets[0]["requirement_mappings"]
got = [(by_urn[m["source_requirement_urn"]]["ref_id"], m["target_requirement_urn"]) for m in maps]
want = [(i, "urn:intuitem:risk:req_node:iso27001-2013:" + r.lower()) for i, r in pairs]
assert got == want, (got[:3], want[:3])
assert all(m["relationship"] == "intersect" for m in maps)
assert len(sets) == 2 and len(sets[1]["requirement_mappings"]) == 43
assert sets[1]["source_framework_urn"] == sets[0]["target_framework_urn"]
assert lib["locale"] == "ja" and lib["version"] == 1
assert lib["name"] == seed["title"] and lib["description"] == seed["note"]
assert lib["urn"] == "urn:ctlconv:risk:library:mic-annex2", lib["urn"]
assert lib["dependencies"] == ["urn:intuitem:risk:library:iso27001-2013"]
' "$work/mic.yaml" "$work/seed.json"

if [ -f "$real/iso27001-2013.yaml" ]; then
    pycheck "every target URN is a node of CISO's ISO/IEC 27001:2013 library" '
import sys, yaml
lib = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
iso = yaml.safe_load(open(sys.argv[2], encoding="utf-8"))
have = {n["urn"] for n in iso["objects"]["framework"]["requirement_nodes"]}
s = lib["objects"]["requirement_mapping_sets"][0]
assert s["target_framework_urn"] == iso["objects"]["framework"]["urn"]
assert iso["urn"] in lib["dependencies"]
missing = [m["target_requirement_urn"] for m in s["requirement_mappings"] if m["target_requirement_urn"] not in have]
assert not missing, missing
' "$work/mic.yaml" "$real/iso27001-2013.yaml"
    pycheck "the structure of the libraries CISO ships (keys, key order, types)" '
import sys, yaml
lib = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
iso = yaml.safe_load(open(sys.argv[2], encoding="utf-8"))
assert list(lib)[:4] == list(iso)[:4] == ["urn", "locale", "ref_id", "name"], list(lib)
assert set(lib) <= set(iso), set(lib) - set(iso)
assert set(lib["objects"]["framework"]) <= set(iso["objects"]["framework"]) | {"annotation"}
node_keys = {"urn", "assessable", "depth", "parent_urn", "ref_id", "name", "description", "annotation",
             "typical_evidence", "importance"}
for n in lib["objects"]["framework"]["requirement_nodes"]:
    assert list(n)[:3] == ["urn", "assessable", "depth"] and set(n) <= node_keys, list(n)
    assert isinstance(n["assessable"], bool) and isinstance(n["depth"], int) and isinstance(n["ref_id"], str)
for s in lib["objects"]["requirement_mapping_sets"]:
    assert list(s) == ["urn", "ref_id", "name", "description", "source_framework_urn", "target_framework_urn",
                       "requirement_mappings"], list(s)
    for m in s["requirement_mappings"]:
        assert list(m) == ["source_requirement_urn", "target_requirement_urn", "relationship"]
' "$work/mic.yaml" "$real/iso27001-2013.yaml"
else
    echo "SKIP: $real/iso27001-2013.yaml is missing"
fi

pycheck "CISO Assistant would take it: required fields, URN pattern, lengths, unique URNs" '
import re, sys, yaml
lib = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
URN = r"^urn:([a-zA-Z0-9_-]+):([a-zA-Z0-9_-]+):([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9_-]+))?:([0-9A-Za-z\[\]\(\)\-\._:]+)$"
assert {"ref_id", "urn", "locale", "objects", "version"} <= set(lib)
fw = lib["objects"]["framework"]
assert {"ref_id", "urn"} <= set(fw)
urns = [lib["urn"], fw["urn"]] + [n["urn"] for n in fw["requirement_nodes"]]
for s in lib["objects"]["requirement_mapping_sets"]:
    assert {"urn", "name", "source_framework_urn", "target_framework_urn"} <= set(s) and s["requirement_mappings"]
    urns.append(s["urn"])
    for m in s["requirement_mappings"]:
        assert {"target_requirement_urn", "relationship", "source_requirement_urn"} <= set(m)
for u in urns:
    assert re.match(URN, u) and u == u.lower() and u.isascii() and len(u) <= 255, u
assert len(set(urns)) == len(urns)
for o in [lib, fw] + fw["requirement_nodes"]:
    assert len(o.get("name", "")) <= 200 and len(o.get("ref_id", "")) <= 100
' "$work/mic.yaml"

grep -q 'name: クラウドサービス提供における情報セキュリティ対策ガイドライン（第3版）$' "$work/mic.yaml" &&
    ok "Japanese text written as it is (UTF-8, not escaped)" || ko "Japanese text written as it is (UTF-8, not escaped)"
grep -q "ref_id: II.1.1.1$" "$work/mic.yaml" && grep -q "^    - urn: urn:ctlconv:risk:req_node:mic-annex2:ii.1$" "$work/mic.yaml" &&
    ok "block style, indentless lists, as CISO's libraries" || ko "block style, indentless lists, as CISO's libraries"

# --- read back ------------------------------------------------------------------
expect "ciso-yaml read back, detected by content" 0 "" -- -t json -o "$work/back.json" "$work/mic.yaml"
pycheck "read back: the same 160 items (answers and category words left out)" '
import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))
b = json.load(open(sys.argv[2], encoding="utf-8"))
assert len(a["items"]) == len(b["items"]) == 160
for x, y in zip(a["items"], b["items"]):
    for k in ("id", "level", "parent", "refs", "title", "description"):
        assert x[k] == y[k], (x["id"], k, x[k], y[k])
    assert y["answer"] == ""
    assert y["category_value"] == {"basic": "mandatory", "recommended": "recommended", None: None}[x["category_value"]]
for k in ("title", "note", "annex"):
    assert a[k] == b[k], k
' "$work/seed.json" "$work/back.json"
"$bin" -t ciso-yaml -o "$work/again.yaml" "$work/back.json" 2>/dev/null
"$bin" -t ciso-yaml --library mic-annex2 -o "$work/again2.yaml" "$work/back.json" 2>/dev/null
cmp -s "$work/again2.yaml" "$work/mic.yaml" && ok "written again from what it read: the same bytes" ||
    ko "written again from what it read: the same bytes" "$(diff "$work/mic.yaml" "$work/again2.yaml" | head -5)"

# --- CISO's own library ------------------------------------------------------
if [ -f "$real/iso27001-2013.yaml" ]; then
    expect "iso27001-2013.yaml read, no options" 0 "" -- -t json -o "$work/iso.json" "$real/iso27001-2013.yaml"
    pycheck "iso27001-2013.yaml: 200 nodes with depth and parents" '
import json, sys, yaml
got = json.load(open(sys.argv[1], encoding="utf-8"))
iso = yaml.safe_load(open(sys.argv[2], encoding="utf-8"))
nodes = iso["objects"]["framework"]["requirement_nodes"]
items = got["items"]
assert len(items) == len(nodes) == 200
id_of = {}
for n, it in zip(nodes, items):
    id_of[n["urn"]] = it["id"]
    if "ref_id" in n: assert it["id"] == n["ref_id"], (it["id"], n["ref_id"])
    assert it["parent"] == (id_of[n["parent_urn"]] if "parent_urn" in n else ""), n["urn"]
    assert it["level"] == n.get("depth", 1), n["urn"]
    assert it["title"] == n.get("name", "").strip() or it["title"] == n.get("name", ""), n["urn"]
assert [it["id"] for it in items if not it["parent"]] == ["#1", "#2"]
assert sum(1 for it in items if it["id"].startswith("A.") and it["id"].count(".") == 3) == 114
' "$work/iso.json" "$real/iso27001-2013.yaml"
    expect "iso27001-2013.yaml -> csv" 0 "" -- -t csv -o "$work/iso.csv" "$real/iso27001-2013.yaml"
else
    echo "SKIP: $real/iso27001-2013.yaml is missing"
fi

# --- ISO/IEC 27001:2022 references, against CISO's 2022 workbook ---------------
if [ -f "$real/iso27001-2022.xlsx" ] && "$py" -c 'import openpyxl' 2>/dev/null; then
    "$py" - "$real/iso27001-2022.xlsx" "$work/refs2022.csv" <<'EOF'
import csv, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["req_content"]
rows = list(ws.iter_rows(values_only=True))
col = [str(h).strip().lower() for h in rows[0]].index("ref_id")
ids = [str(r[col]).strip() for r in rows[1:] if r[col] is not None]
ids = [i for i in ids if i not in ("core", "annex-a")]
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "title", "references"])
    for n, i in enumerate(ids, 1):
        w.writerow([str(n), "t", "iso27001-2022:" + i])
    w.writerow([str(len(ids) + 1), "t", "iso27001-2022:A.5.38 iso27001-2022:A.5.1.1"])
EOF
    expect "references to every ref_id of CISO's 2022 framework: no ref-unknown but the two bad ones" 0 \
        "[ref-unknown]" -- -t ciso-yaml -o "$work/r22.yaml" "$work/refs2022.csv"
    [ "$(grep -c 'ref-unknown' "$work/err")" = 2 ] && ok "two ref-unknown warnings, naming the item" ||
        ko "two ref-unknown warnings, naming the item" "$(cat "$work/err")"
    grep -q "139: reference A.5.38 is no identifier of ISO/IEC 27001:2022" "$work/err" &&
        ok "ref-unknown names the item and the reference" || ko "ref-unknown names the item and the reference" "$(cat "$work/err")"
    pycheck "138 mappings to CISO's 2022 framework, its node URNs" '
import sys, yaml, openpyxl
lib = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
assert lib["dependencies"] == ["urn:intuitem:risk:library:iso27001-2022"]
s = lib["objects"]["requirement_mapping_sets"][0]
assert s["target_framework_urn"] == "urn:intuitem:risk:framework:iso27001-2022"
ws = openpyxl.load_workbook(sys.argv[2], read_only=True)["req_meta"]
base = dict((r[0], r[1]) for r in ws.iter_rows(values_only=True))["base_urn"]
targets = [m["target_requirement_urn"] for m in s["requirement_mappings"]]
assert len(targets) == 138, len(targets)
assert all(t.startswith(base + ":") for t in targets)
assert base + ":a.5.1" in targets and base + ":9.3.3" in targets and base + ":a.8.34" in targets
' "$work/r22.yaml" "$real/iso27001-2022.xlsx"
else
    echo "SKIP: $real/iso27001-2022.xlsx or openpyxl is missing"
fi

# --- options ------------------------------------------------------------------
expect "--doc-version 3 --library x --packager acme" 0 "" -- -t ciso-yaml --doc-version 3 --library x \
    --packager acme -o "$work/opt.yaml" "$seed"
grep -q '^version: 3$' "$work/opt.yaml" && grep -q '^urn: urn:acme:risk:library:x$' "$work/opt.yaml" &&
    grep -q 'urn: urn:acme:risk:req_node:x:ii.1.1.1$' "$work/opt.yaml" && ok "the options name the URNs" ||
    ko "the options name the URNs"
expect "--doc-version 1.5: a whole number, exit 2" 2 "[bad-argument]" -- -t ciso-yaml --doc-version 1.5 "$seed"
expect "--library on a format without URNs: exit 2" 2 "--library" -- -t csv --library x "$seed"
"$bin" -t ciso-yaml <"$seed" >"$work/stdin.yaml" 2>/dev/null
grep -q '^urn: urn:ctlconv:risk:library:list$' "$work/stdin.yaml" && ok "standard input: library 'list'" ||
    ko "standard input: library 'list'"

# --- YAML refused -------------------------------------------------------------
printf 'urn: urn:x:risk:library:t\nobjects: {}\nurn: again\n' >"$work/dup.yaml"
expect "a key twice: bad input" 1 "[bad-structure]" -- -t json "$work/dup.yaml"
printf 'urn: urn:x:risk:library:t\nobjects:\n  framework: [unclosed\n' >"$work/broken.yaml"
expect "malformed YAML: its line" 1 "broken.yaml:4: YAML:" -- -t json "$work/broken.yaml"
{
    echo 'urn: urn:x:risk:library:t'
    echo 'objects:'
    echo '  a: &a [x, x, x, x, x, x, x, x, x, x]'
    for i in b c d e f g h i j; do
        p=$(printf '%s' "$i" | tr 'b-j' 'a-i')
        echo "  $i: &$i [*$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p, *$p]"
    done
} >"$work/bomb.yaml"
expect "an alias bomb: refused (input-size)" 1 "[limit]" -- -f ciso-yaml -t json "$work/bomb.yaml"
expect "a mapping library alone: not a list" 1 "[not-a-list]" -- -f ciso-yaml -t json \
    <(printf 'urn: urn:x:risk:library:m\nobjects:\n  requirement_mapping_sets: []\n')

finish
