#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Issue 13's acceptance, end to end through the program: the seed as OSCAL
# (catalog and component definition, JSON and XML) valid by NIST's schemas
# and read back to the same list; as a CISO Assistant library (YAML and
# workbook) with its nodes, assessable nodes and mappings to CISO's own
# ISO/IEC 27001:2013 nodes; the real catalogs and libraries read with no
# options; the same list across a chain of every GRC format.
#   tests/e2e_grc.sh PATH/TO/ctlconv        (run from the project root)
# Prints one line per check and a closing "N passed, N failed" line.
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
real=${CTL_REAL:-../shared/corpora/real}
schemas=${CTL_OSCAL_SCHEMAS:-../shared/grc/oscal-1.2.1}
pyx=/usr/bin/python3
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
export SOURCE_DATE_EPOCH=1764547200

# conv NAME ARGS...: ctlconv -q ARGS, ok when it exits 0
conv() {
    local name=$1 rc
    shift
    "$bin" -q "$@" 2>"$work/err"
    rc=$?
    check "$name" "[ $rc = 0 ]" "$(cat "$work/err")"
}

# same A.json B.json NAME [LOSES]: the two ctlconv JSON documents hold the same
# items (id, level, parent, title, description, references; answers and
# categories only unless LOSES names them)
same() {
    local got
    got=$($pyx - "$1" "$2" "${4:-}" <<'PY'
import json, sys
a, b = (json.load(open(p))["items"] for p in sys.argv[1:3])
loses = sys.argv[3].split(",")
def key(it):
    k = [it["id"], it.get("level"), it.get("parent", ""), it.get("title", ""), it.get("description", ""),
         [(r["scheme"], r["id"]) for r in it.get("refs", [])]]
    if "answers" not in loses: k.append(it.get("answer", ""))
    if "categories" not in loses: k.append(it.get("category", ""))
    return k
if len(a) != len(b): print("%d items vs %d" % (len(a), len(b))); sys.exit()
for x, y in zip(a, b):
    if key(x) != key(y): print("item %s: %s vs %s" % (x["id"], key(x), key(y))); sys.exit()
print("same")
PY
)
    check "$3" "[ '$got' = same ]" "$got"
}

conv "the seed as ctlconv JSON" -t json -o "$work/seed.json" "$seed"

# --- OSCAL ---------------------------------------------------------------------
conv "seed -> oscal-json" -t oscal-json -o "$work/cat.json" "$seed"
conv "seed -> oscal-xml" -t oscal-xml -o "$work/cat.xml" "$seed"
conv "seed -> oscal-component-json" -t oscal-component-json --component "Example Cloud" -o "$work/comp.json" "$seed"
conv "seed -> oscal-component-xml" -t oscal-component-xml --component "Example Cloud" -o "$work/comp.xml" "$seed"
if [ -d "$schemas" ]; then
    $pyx tests/oscal_validate.py "$schemas" "$work/cat.json" "$work/comp.json" >"$work/v" 2>&1
    check "the catalog and component definition (JSON) valid by NIST's JSON Schemas" "[ $? = 0 ]" "$(cat "$work/v")"
    xmllint --noout --schema "$schemas/oscal_catalog_schema.xsd" "$work/cat.xml" 2>"$work/v"
    check "the catalog (XML) valid by NIST's XSD" "[ $? = 0 ]" "$(cat "$work/v")"
    xmllint --noout --schema "$schemas/oscal_component_schema.xsd" "$work/comp.xml" 2>"$work/v"
    check "the component definition (XML) valid by NIST's XSD" "[ $? = 0 ]" "$(cat "$work/v")"
else
    echo "SKIP no OSCAL schemas at $schemas: validity not checked"
fi
n=$($pyx -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['component-definition']['components'][0]['control-implementations'][0]['implemented-requirements']))" "$work/comp.json" 2>&1)
check "the component definition holds 121 implemented requirements" "[ '$n' = 121 ]" "$n"
n=$(grep -c '<implemented-requirement ' "$work/comp.xml")
check "... and so does its XML" "[ '$n' = 121 ]" "$n"
ids=$($pyx -c "
import json,sys
c=json.load(open(sys.argv[1]))['catalog']; d=json.load(open(sys.argv[2]))['component-definition']
def walk(n):
    for x in n.get('controls',[]): yield x['id']; yield from walk(x)
    for g in n.get('groups',[]): yield from walk(g)
known=set(walk(c)); reqs=d['components'][0]['control-implementations'][0]['implemented-requirements']
print(sum(r['control-id'] in known for r in reqs))" "$work/cat.json" "$work/comp.json" 2>&1)
check "every implemented requirement points at a control of the catalog" "[ '$ids' = 121 ]" "$ids"
conv "oscal-json read back" -t json -o "$work/cat-back.json" "$work/cat.json"
same "$work/seed.json" "$work/cat-back.json" "oscal-json: the same 160 items back (answers aside)" answers
conv "oscal-xml read back" -t json -o "$work/catx-back.json" "$work/cat.xml"
same "$work/seed.json" "$work/catx-back.json" "oscal-xml: the same 160 items back (answers aside)" answers

# --- CISO Assistant --------------------------------------------------------------
conv "seed -> ciso-yaml" -t ciso-yaml -o "$work/lib.yaml" "$seed"
lib13=$real/iso27001-2013.yaml
got=$($pyx - "$work/lib.yaml" "$work/seed.json" "$lib13" <<'PY'
import json, os, sys, yaml
lib = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
items = json.load(open(sys.argv[2]))["items"]
fw = lib["objects"]["framework"]
nodes = fw["requirement_nodes"]
out = []
out.append(len(nodes) == 160 or "nodes %d" % len(nodes))
out.append(sum(1 for n in nodes if n["assessable"]) == 121 or "assessable")
byurn = {n["urn"]: n for n in nodes}
ok = all(n.get("depth") == it["level"] and
         (byurn[n["parent_urn"]]["ref_id"] if "parent_urn" in n else "") == it.get("parent", "")
         for n, it in zip(nodes, items))
out.append(ok or "depth/parents")
pairs = sum(1 for it in items for r in it.get("refs", []) if r["scheme"] == "iso27001-2013")
sets = lib["objects"]["requirement_mapping_sets"]
fwd = [s for s in sets if s["source_framework_urn"] == fw["urn"]]
maps = [m for s in fwd for m in s["requirement_mappings"]]
out.append(len(maps) == pairs or "mappings %d, pairs %d" % (len(maps), pairs))
if os.path.exists(sys.argv[3]):
    iso = yaml.safe_load(open(sys.argv[3], encoding="utf-8"))
    known = {n["urn"] for n in iso["objects"]["framework"]["requirement_nodes"]}
    out.append(all(m["target_requirement_urn"] in known for m in maps) or "unknown targets")
    out.append(all(m["source_requirement_urn"] in byurn for m in maps) or "unknown sources")
    out.append(set(iso) <= set(lib) | {"copyright", "publication_date", "translations", "annotation"}
               or "top keys %s" % sorted(set(iso) - set(lib)))
bad = [o for o in out if o is not True]
print("ok" if not bad else bad)
PY
)
check "ciso-yaml: 160 nodes, depths and parents, 121 assessable, one mapping per (item, ISMS reference) to CISO's own ISO/IEC 27001:2013 nodes" "[ '$got' = ok ]" "$got"
conv "ciso-yaml read back" -t json -o "$work/lib-back.json" "$work/lib.yaml"
same "$work/seed.json" "$work/lib-back.json" "ciso-yaml: the same 160 items back (answers, category words aside)" answers,categories
conv "seed -> ciso-xlsx" -t ciso-xlsx -o "$work/lib.xlsx" "$seed"
conv "ciso-xlsx read back, found by content" -t json -o "$work/libx-back.json" "$work/lib.xlsx"
same "$work/seed.json" "$work/libx-back.json" "ciso-xlsx: the same 160 items back (answers, category words aside)" answers,categories

# --- a chain through every GRC format ----------------------------------------------
conv "chain: oscal-json -> ciso-yaml" -t ciso-yaml -o "$work/c1.yaml" "$work/cat.json"
conv "chain: ciso-yaml -> oscal-xml" -t oscal-xml -o "$work/c2.xml" "$work/c1.yaml"
conv "chain: oscal-xml -> ciso-xlsx" -t ciso-xlsx -o "$work/c3.xlsx" "$work/c2.xml"
conv "chain: ciso-xlsx -> json" -t json -o "$work/c4.json" "$work/c3.xlsx"
same "$work/seed.json" "$work/c4.json" "seed -> oscal-json -> ciso-yaml -> oscal-xml -> ciso-xlsx -> json: the same list" answers,categories

# --- real files, no options -----------------------------------------------------------
# count FILE EXPR WANT NAME: -t json of FILE, EXPR over its items
count() {
    local got
    "$bin" -q -t json -o "$work/r.json" "$1" 2>"$work/err"
    got=$($pyx -c "
import json, collections, sys
items = json.load(open(sys.argv[1]))['items']
levels = collections.Counter(i['level'] for i in items)
ids2 = {i['id'] for i in items if i['level'] == 2}
print($2)" "$work/r.json" 2>&1)
    check "$4" "[ \"\$got\" = '$3' ]" "got '$got'; $(head -3 "$work/err")"
}
if [ -d "$real" ]; then
    count "$real/basic-catalog.json" "len(items), sorted(levels.items())" "8 [(1, 2), (2, 2), (3, 4)]" \
        "basic-catalog.json: 4 controls in 2 groups and 2 subgroups"
    count "$real/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json" "len(items), sorted(levels.items())" \
        "167 [(1, 18), (2, 131), (3, 18)]" "800-53 LOW: 149 controls (131 + 18 enhancements) in 18 groups"
    count "$real/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json" \
        "all(i['id'].startswith(i['parent']) and i['parent'] in ids2 for i in items if i['level'] == 3)" "True" \
        "800-53 LOW: each enhancement under its control"
    count "$real/iso27001-2013.yaml" "len(items), all('parent' in i for i in items), max(levels)" "200 True 3" \
        "iso27001-2013.yaml: 200 nodes with depth and parents"
    count "$real/iso27001-2022.xlsx" "len(items), sorted(levels.items())" "140 [(1, 2), (2, 11), (3, 116), (4, 11)]" \
        "iso27001-2022.xlsx read as a CISO workbook: 140 nodes with depth"
else
    echo "SKIP no development set at $real: the real files are not checked"
fi
finish
