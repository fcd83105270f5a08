#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of the OSCAL JSON formats (issue 13): the seed as a
# catalog and a component definition, valid by NIST's OSCAL 1.2.1 JSON
# schemas (tests/oscal_validate.py, /usr/bin/python3 with jsonschema) and
# read back; byte-identical exports; a list with awkward text; NIST's own
# catalogs (basic-catalog.json, the 800-53 LOW baseline) read with no
# options; OSCAL documents that are no catalog refused.
#   tests/e2e_oscal.sh PATH/TO/ctlconv        (run from the project root)
# The schemas and the real catalogs: ../shared/grc/oscal-1.2.1 ($CTL_OSCAL_SCHEMAS)
# and ../shared/corpora/real ($CTL_REAL); their checks are skipped with a
# message when they are absent.
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
schemas=${CTL_OSCAL_SCHEMAS:-../shared/grc/oscal-1.2.1}
real=${CTL_REAL:-../shared/corpora/real}
pyx=/usr/bin/python3   # Debian's, with python3-jsonschema
export SOURCE_DATE_EPOCH=1764547200

# run ARGS...: ctlconv ARGS, standard error in $work/err, the status in rc
run() { "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null; rc=$?; }

# valid NAME FILE...: the documents validate against the schemas
valid() {
    local name=$1
    shift
    if [ ! -d "$schemas" ] || ! $pyx -c 'import jsonschema' 2>/dev/null; then
        echo "SKIP $name: no schemas at $schemas or no python3-jsonschema"
        return
    fi
    if $pyx tests/oscal_validate.py "$schemas" "$@" >"$work/valid" 2>&1; then ok "$name"
    else ko "$name" "$(cat "$work/valid")"; fi
}

# jq FILE EXPR WANT NAME: a Python expression over the JSON document d prints WANT
jq() {
    local got
    got=$($pyx - "$1" "$2" <<'PY' 2>&1
import json, sys, collections
d = json.load(open(sys.argv[1], encoding="utf-8"))
def walk(node, depth=1, up=None):
    for key in ("controls", "groups"):
        for n in node.get(key, []):
            yield key, n, depth, up
            yield from walk(n, depth + 1, n)
nodes = list(walk(d["catalog"])) if "catalog" in d else []
items = d.get("items", [])
levels = collections.Counter(i["level"] for i in items)
print(eval(sys.argv[2]))
PY
)
    if [ "$got" = "$3" ]; then ok "$4"; else ko "$4" "got '$got', want '$3'"; fi
}

# --- the seed -------------------------------------------------------------------
run -t oscal-json -o "$work/seed.json" "$seed"
check "seed -> oscal-json: exit 0" '[ $rc = 0 ]' "$(cat "$work/err")"
check "seed -> oscal-json: the answers left out, said once" \
    '[ "$(grep -c "121 answer(s) left out.*\[answers-dropped\]" "$work/err")" = 1 ]' "$(cat "$work/err")"
valid "seed -> oscal-json: valid by the OSCAL 1.2.1 catalog schema, ids unique" "$work/seed.json"
jq "$work/seed.json" "sum(k == 'controls' for k, *_ in nodes), sum(k == 'groups' for k, *_ in nodes)" "(121, 39)" \
    "seed -> oscal-json: 121 controls in 39 groups (12 sections, 27 subsections)"
jq "$work/seed.json" "[n['id'] for k, n, *_ in nodes][:4]" "['II.1', 'II.1.1', 'II.1.1.1', 'II.1.1.2']" \
    "seed -> oscal-json: ids as printed are tokens"
jq "$work/seed.json" "d['catalog']['metadata']['last-modified']" "2025-12-01T00:00:00Z" \
    "seed -> oscal-json: last-modified from SOURCE_DATE_EPOCH"
jq "$work/seed.json" "sum(p['name'] == 'reference' and p.get('class') == 'iso27001-2013' for k, n, *_ in nodes for p in n.get('props', []))" \
    "$(run -t json "$seed" && $pyx -c 'import json,sys; print(sum(len(i["refs"]) for i in json.load(open(sys.argv[1]))["items"]))' "$work/out")" \
    "seed -> oscal-json: every reference a prop of the scheme iso27001-2013"
run -t oscal-json -o "$work/seed2.json" "$seed"
check "seed -> oscal-json twice: the same bytes" 'cmp -s "$work/seed.json" "$work/seed2.json"'
run -t oscal-json --date 2026-12-01T09:00:00+09:00 --doc-version 3.1 -o "$work/dated.json" "$seed"
jq "$work/dated.json" "d['catalog']['metadata']['last-modified'], d['catalog']['metadata']['version']" \
    "('2026-12-01T09:00:00+09:00', '3.1')" "--date and --doc-version: last-modified and version"
run -t oscal-json --date 2026-12-01 -o "$work/dated2.json" "$seed"
jq "$work/dated2.json" "d['catalog']['uuid'] == json.load(open('$work/seed.json'))['catalog']['uuid']" "True" \
    "another date: the same UUID (it names the content)"
jq "$work/dated.json" "d['catalog']['uuid'] == json.load(open('$work/seed.json'))['catalog']['uuid']" "False" \
    "another version: another UUID"

# read back: the same 160 items, answers aside
run -t json -o "$work/seed-list.json" "$seed"
run -t json -o "$work/back.json" "$work/seed.json"
check "oscal-json -> json, detected by content: exit 0" '[ $rc = 0 ]' "$(cat "$work/err")"
jq "$work/back.json" "(len(items), d == dict(json.load(open('$work/seed-list.json')), items=[dict(i, answer='') for i in json.load(open('$work/seed-list.json'))['items']]))" \
    "(160, True)" "seed -> oscal-json -> json: the same 160 items and metadata, answers aside"

# --- the component definition -----------------------------------------------------
run -t oscal-component-json --component "Example Cloud" -o "$work/comp.json" "$seed"
check "seed -> oscal-component-json: exit 0" '[ $rc = 0 ]' "$(cat "$work/err")"
valid "seed -> oscal-component-json: valid by the OSCAL 1.2.1 component schema" "$work/comp.json"
jq "$work/comp.json" "(lambda c: (c['title'], len(c['control-implementations'][0]['implemented-requirements'])))(d['component-definition']['components'][0])" \
    "('Example Cloud', 121)" "component definition: 121 implemented requirements of the component named"
jq "$work/comp.json" "(lambda ci, cat: (ci['source'] == 'urn:uuid:' + cat['catalog']['uuid'], all(r['control-id'] in {n['id'] for k, n, *_ in walk(cat['catalog']) if k == 'controls'} for r in ci['implemented-requirements'])))(d['component-definition']['components'][0]['control-implementations'][0], json.load(open('$work/seed.json')))" \
    "(True, True)" "component definition: the source is the catalog's UUID, each control-id one of its controls"
run -t oscal-json --component x -o "$work/no.json" "$seed"
check "--component with a catalog: a usage error" '[ $rc = 2 ]' "$(cat "$work/err")"

# --- awkward text: kept exactly, still valid ----------------------------------------
cat >"$work/awkward.json" <<'EOF'
{"format": "ctlconv-list", "version": 2, "title": " Title with\nline break ", "note": " a note ", "annex": "ANNEX\n2",
 "ref_scheme": "", "columns": ["項番", "a\nb", "", "\"quoted\""], "items": [
  {"id": "1", "label": " 1. ", "level": 1, "title": "", "refs": [{"scheme": "27001-2013", "id": "A.5"}, {"scheme": "", "id": "see\nbelow"}]},
  {"id": "1.1", "label": "1.1", "level": 2, "parent": "1", "title": "a heading without items"},
  {"id": "1.2", "label": "1.2", "level": 2, "parent": "1", "title": "t\r\nu", "description": "  spaced\n", "category": "IG1",
   "extra": [{"name": "a\nb", "value": " x "}, {"name": "", "value": "unnamed"}, {"name": "\"quoted\"", "value": ""}]},
  {"id": "1.2", "label": "1.2", "level": 2, "parent": "1", "title": "a duplicate id", "description": "d", "category": "基本", "category_value": "basic", "answer": "yes"},
  {"id": "AC-2(1)", "label": "AC-2(1)", "level": 5, "parent": "", "title": "a level that is not the depth", "category": "推奨", "category_value": "recommended"},
  {"id": "3.1", "label": "3.1", "level": 2, "parent": "9.9", "title": "a parent that is no item", "description": "y"}
 ], "unplaced_isms": ["A.17"]}
EOF
run -t oscal-json -o "$work/awkward-oscal.json" "$work/awkward.json"
check "awkward list -> oscal-json: exit 0, the duplicate id said" '[ $rc = 0 ] && grep -q "\[duplicate-id\]" "$work/err"' "$(cat "$work/err")"
valid "awkward list -> oscal-json: valid, ids unique" "$work/awkward-oscal.json"
run -t json -o "$work/awkward-list.json" "$work/awkward.json"
run -t json -o "$work/awkward-back.json" "$work/awkward-oscal.json"
jq "$work/awkward-back.json" "d == dict(json.load(open('$work/awkward-list.json')), items=[dict(i, answer='') for i in json.load(open('$work/awkward-list.json'))['items']])" \
    "True" "awkward list -> oscal-json -> json: the same list, answers aside"
run -t oscal-component-json -o "$work/awkward-comp.json" "$work/awkward.json"
valid "awkward list -> oscal-component-json: valid" "$work/awkward-comp.json"

# --- NIST's catalogs, no options --------------------------------------------------
if [ ! -d "$real" ]; then
    echo "SKIP no development set at $real: NIST's catalogs are not read"
else
    run -t json -o "$work/basic.json" "$real/basic-catalog.json"
    check "basic-catalog.json -> json: exit 0" '[ $rc = 0 ]' "$(cat "$work/err")"
    jq "$work/basic.json" "sorted(levels.items()), [i['id'] for i in items if i['level'] == 2]" \
        "([(1, 2), (2, 2), (3, 4)], ['s1.1', '2.1'])" \
        "basic-catalog.json: 4 controls in 2 groups and 2 subgroups"
    jq "$work/basic.json" "[(i['label'], i['parent']) for i in items if i['level'] == 3]" \
        "[('1.1.1', 's1.1'), ('1.1.2', 's1.1'), ('2.1.1', '2.1'), ('2.1.2', '2.1')]" \
        "basic-catalog.json: labels and parents of the controls (the labels are the ids; s1.1 has none)"
    f=$real/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json
    run -t json -o "$work/low.json" "$f"
    check "800-53 LOW -> json: exit 0" '[ $rc = 0 ]' "$(cat "$work/err")"
    jq "$work/low.json" "sorted(levels.items())" "[(1, 18), (2, 131), (3, 18)]" \
        "800-53 LOW: 149 controls (131 controls, 18 enhancements) in 18 groups"
    jq "$work/low.json" "[(i['label'], i['parent']) for i in items if i['id'] in ('AC-2', 'IA-2(1)')]" \
        "[('AC-2', '#1'), ('IA-2(1)', 'IA-2')]" "800-53 LOW: labels as ids, enhancements under their controls"
    jq "$work/low.json" "[i for i in items if i['id'] == 'AC-2'][0]['description'].splitlines()[3:5]" \
        "['d. Specify:', '  1. Authorized users of the system;']" "800-53 LOW: statement items as lines"
    run -t xlsx -o "$work/low.xlsx" "$f"
    check "800-53 LOW -> xlsx (a spreadsheet for review): exit 0" '[ $rc = 0 ]' "$(cat "$work/err")"
    run -t oscal-json -o "$work/low-oscal.json" "$f"
    valid "800-53 LOW -> oscal-json: valid" "$work/low-oscal.json"
fi

# --- what is refused -------------------------------------------------------------
echo '{"profile": {"uuid": "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724"}}' >"$work/profile.json"
run -t csv "$work/profile.json"
check "an OSCAL profile: exit 1, named" '[ $rc = 1 ] && grep -q "an OSCAL profile.*\[not-a-list\]" "$work/err"' "$(cat "$work/err")"
echo '{"catalog": {"metadata": {"title": "t"}, "controls": [{"id": "c1"}]}}' >"$work/notitle.json"
run -t csv "$work/notitle.json"
check "a control without a title: exit 1, [bad-field]" \
    '[ $rc = 1 ] && grep -q "control .c1. has no title (OSCAL requires one) \[bad-field\]" "$work/err"' "$(cat "$work/err")"

finish
