#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of issue 12's JSON items through the CLI: the version-2
# JSON, JSON Lines and XML ctlconv writes validate against
# formats/ctlconv-2.schema.json and formats/ctlconv-2.xsd (the seed and the
# real lists of ../shared/corpora/real/); JSON of other shapes is read: an
# outline (touitsukijun_r7.json), an array and JSON Lines of flat records
# (the ISMAP criteria, made here from the CSV), with --column.
#   tests/e2e_json_v2.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=../shared/seeds/000_aa2d90e492d78b70.txt
[ -r "$seed" ] || seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
real=../shared/corpora/real
py=/usr/bin/python3

# valid NAME FILE...: the JSON (.json) and JSON Lines (.jsonl) files
# validate against the version-2 schema
cat >"$work/valid.py" <<'PY'
import json, sys, jsonschema
schema = json.load(open('formats/ctlconv-2.schema.json', encoding='utf-8'))
jsonschema.Draft202012Validator.check_schema(schema)
def part(name):
    return jsonschema.Draft202012Validator({'$schema': schema['$schema'], '$defs': schema['$defs'],
                                            '$ref': '#/$defs/' + name})
whole, meta, item, tail = (jsonschema.Draft202012Validator(schema), part('metadata_line'), part('item'),
                           part('unplaced_line'))
for f in sys.argv[1:]:
    if f.endswith('.jsonl'):
        lines = [json.loads(l) for l in open(f, encoding='utf-8')]
        meta.validate(lines[0])
        for l in lines[1:]:
            (tail if 'unplaced_isms' in l else item).validate(l)
    else:
        whole.validate(json.load(open(f, encoding='utf-8')))
PY
valid() {
    local name=$1
    shift
    if ! $py -c 'import jsonschema' 2>/dev/null; then
        ko "$name" "python3-jsonschema is not installed (apt-get install python3-jsonschema)"
        return
    fi
    $py "$work/valid.py" "$@" 2>"$work/valid.err" && ok "$name" || ko "$name" "$(tail -3 "$work/valid.err")"
}
valid_xml() {
    xmllint --noout --schema formats/ctlconv-2.xsd "$2" 2>"$work/xsd.err" && ok "$1" || ko "$1" "$(cat "$work/xsd.err")"
}

# --- the schemas against the seed's version-2 output ----------------------------
"$bin" -q -t json -o "$work/seed.json" "$seed" && "$bin" -q -t jsonl -o "$work/seed.jsonl" "$seed" &&
    "$bin" -q -t xml -o "$work/seed.xml" "$seed"
check "the seed written as JSON, JSON Lines, XML" '[ -s "$work/seed.json" ] && [ -s "$work/seed.xml" ]'
valid "seed: JSON and JSON Lines valid against ctlconv-2.schema.json" "$work/seed.json" "$work/seed.jsonl"
valid_xml "seed: XML valid against ctlconv-2.xsd" "$work/seed.xml"
# the schemas are not empty promises: what version 2 forbids is refused
$py - "$work/seed.json" "$work/bad" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
cases = {
    'v1': dict(d, version=1),
    'id': dict(d, items=[dict(d['items'][0], id='II. 1')] + d['items'][1:]),
    'value': dict(d, items=[dict(d['items'][2], category_value='must')]),
    'scheme': dict(d, items=[dict(d['items'][0], refs=[{'scheme': 'ISO 27001', 'id': 'A.5'}])]),
    'parent': dict(d, items=[{k: v for k, v in d['items'][0].items() if k != 'parent'}]),
}
for name, doc in cases.items():
    json.dump(doc, open('%s-%s.json' % (sys.argv[2], name), 'w', encoding='utf-8'), ensure_ascii=False)
PY
for c in v1 id value scheme parent; do
    $py "$work/valid.py" "$work/bad-$c.json" 2>/dev/null && ko "schema refuses a document with a bad $c" ||
        ok "schema refuses a document with a bad $c"
done
sed 's/version="2"/version="1"/' "$work/seed.xml" >"$work/bad-v1.xml"
sed '0,/parent=""/s/parent=""/parent="II. 1"/' "$work/seed.xml" >"$work/bad-parent.xml"
sed '0,/<ref scheme="iso27001-2013">/s/<ref scheme="iso27001-2013">/<ref scheme="ISO 27001">/' "$work/seed.xml" \
    >"$work/bad-scheme.xml"
for c in v1 parent scheme; do
    xmllint --noout --schema formats/ctlconv-2.xsd "$work/bad-$c.xml" 2>/dev/null &&
        ko "XSD refuses a document with a bad $c" || ok "XSD refuses a document with a bad $c"
done
# version 1 files keep their own schemas, and still read
check "the version-1 schemas are kept" '[ -s formats/ctlconv.schema.json ] && [ -s formats/ctlconv.xsd ]'

if [ ! -d "$real" ]; then
    echo "SKIP real lists: $real not found"
    finish
    exit
fi

# --- the real lists, in version 2 ----------------------------------------------
for f in cis-controls-v8.csv ismap-control-criteria-2022-04-01.csv touitsukijun_r7.json; do
    "$bin" -q -t json -o "$work/$f.json" "$real/$f" && "$bin" -q -t jsonl -o "$work/$f.jsonl" "$real/$f" &&
        "$bin" -q -t xml -o "$work/$f.xml" "$real/$f"
    check "$f read with no options" '[ -s "$work/$f.xml" ]'
    valid "$f: JSON and JSON Lines valid against ctlconv-2.schema.json" "$work/$f.json" "$work/$f.jsonl"
    valid_xml "$f: XML valid against ctlconv-2.xsd" "$work/$f.xml"
done

# --- an outline: touitsukijun_r7.json ---------------------------------------------
t=$real/touitsukijun_r7.json
"$bin" -v -t json -o "$work/t.json" "$t" 2>"$work/t.err"
rc=$?
check "outline: exit 0, warnings only of generated ids and duplicate ids" \
    '[ $rc = 0 ] && ! grep -v "\[id-generated\]$\|\[duplicate-id\]$" "$work/t.err"' "$(grep -v 'id-generated\|duplicate-id' "$work/t.err")"
$py - "$t" "$work/t.json" >"$work/t.check" 2>&1 <<'PY'
import json, sys, collections
src = json.load(open(sys.argv[1], encoding='utf-8'))
out = json.load(open(sys.argv[2], encoding='utf-8'))['items']
objs = []
def walk(o, depth):
    objs.append((o, depth))
    for v in o.values():
        if isinstance(v, list):
            for e in v:
                walk(e, depth + 1)
for p in src:
    walk(p, 1)
leaves = sum(1 for o, _ in objs if 'description' in o)
assert len(out) == len(objs) == 1873 and leaves == 1783, (len(out), len(objs), leaves)
seen = set()
for (o, depth), it in zip(objs, out):
    # every code kept: the canonical id, or the label of a generated id
    assert it['id'] == o['id'] or it['label'] == o['id'], (o['id'], it['id'], it['label'])
    # text intact: titles, descriptions with their tabs and line breaks, the category word, extras
    assert it['title'] == o.get('title', '') and it['description'] == o.get('description', ''), o['id']
    assert it['category'] == o.get('type'), o['id']
    extra = {e['name']: e['value'] for e in it.get('extra', [])}
    assert extra.get('information') == o.get('information'), o['id']
    # parents come before their children; parts at the top, sections, subsections under them
    assert it['parent'] == '' or it['parent'] in seen, (it['id'], it['parent'])
    if depth <= 3:
        assert it['level'] == depth, (it['id'], it['level'], depth)
    else:
        assert it['level'] >= 4 and it['parent'] != '', it['id']
    seen.add(it['id'])
by = {i['label'] or i['id']: i for i in out}
assert by['2.1.1(1)']['parent'] == '2.1.1', by['2.1.1(1)']
assert by['2.1.1(1)-1']['parent'] == '2.1.1(1)', by['2.1.1(1)-1']
assert by['2.1.1(1)-1 a)']['parent'] == '2.1.1(1)-1', by['2.1.1(1)-1 a)']
assert by['2.1.1(1)-1 a)']['id'].startswith('2.1.1(1)-1#'), by['2.1.1(1)-1 a)']
assert '\t' in by['2.1.1(1)']['description'] and any('\n' in i['description'] for i in out)
print(len(out), 'items,', leaves, 'item objects,', collections.Counter(i['level'] for i in out))
PY
rc=$?
check "outline: all 1,873 objects (1,783 items, 90 parts, sections, subsections), text intact, parents above" \
    '[ $rc = 0 ]' "$(tail -3 "$work/t.check")"
"$bin" -q -t json -o "$work/t2.json" "$work/t.json" && "$bin" -q -t xml -o "$work/t.xml" "$work/t.json" &&
    "$bin" -q -t json -o "$work/t3.json" "$work/t.xml"
check "outline: its version-2 JSON reads back to the same bytes, through XML too" \
    'cmp -s "$work/t.json" "$work/t2.json" && cmp -s "$work/t.json" "$work/t3.json"'

# --- records: the ISMAP criteria as a JSON array and as JSON Lines --------------
i=$real/ismap-control-criteria-2022-04-01.csv
$py - "$i" "$work/ismap" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
json.dump(rows, open(sys.argv[2] + '.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
with open(sys.argv[2] + '.jsonl', 'w', encoding='utf-8') as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + '\n')
PY
# (records are read as tables: heading items of domain_*/category_* as from the CSV)
"$bin" -q -t json -o "$work/ismap-csv.json" "$i"
for f in json jsonl; do
    "$bin" -q -t json -o "$work/ismap-$f.json" "$work/ismap.$f" 2>"$work/err"
    check "ISMAP as a $f of records, detected by content: 263 rows and 60 headings, the same as from the CSV" \
        "cmp -s '$work/ismap-csv.json' '$work/ismap-$f.json' && [ \$(grep -c '^    {\"id\"' '$work/ismap-$f.json') = 323 ]" \
        "$(cat "$work/err")"
done
valid "ISMAP records: version-2 JSON valid" "$work/ismap-json.json"
# CIS: its safeguards repeat their control's id and title on each row
c=$real/cis-controls-v8.csv
$py - "$c" "$work/cis.json" <<'PY'
import csv, json, sys
json.dump(list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline=''))),
          open(sys.argv[2], 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
PY
"$bin" -q -t json -o "$work/cis-csv.json" "$c"
"$bin" -t json -o "$work/cis-json.json" "$work/cis.json" 2>"$work/err"
check "CIS as a JSON array of records: 18 controls and 153 safeguards under them, the same as from the CSV" \
    "cmp -s '$work/cis-csv.json' '$work/cis-json.json' && grep -q 'made 18 heading item' '$work/err' &&
     [ \$(grep -c '\"level\": 1,' '$work/cis-json.json') = 18 ] && [ \$(grep -c '\"level\": 2,' '$work/cis-json.json') = 153 ]" \
    "$(cat "$work/err")"

# --- --column on JSON ------------------------------------------------------------
printf '[{"code": "A.5", "heading": "Policies", "text": "x"},\n {"code": "A.5.1", "heading": "Policy", "text": "y"}]\n' \
    >"$work/codes.json"
printf 'code,heading,text\nA.5,Policies,x\nA.5.1,Policy,y\n' >"$work/codes-in.csv"
"$bin" -q -t csv -o "$work/codes.csv" "$work/codes.json" && "$bin" -q -t csv -o "$work/codes-in-csv.csv" "$work/codes-in.csv"
check "JSON without an id key: the id found by the values' shape, as in the CSV" \
    "cmp -s '$work/codes.csv' '$work/codes-in-csv.csv' && grep -q '^A.5.1,2,A.5,' '$work/codes.csv'"
printf '[{"code": "A.5", "colour": "red"},\n {"code": "A.5.1", "colour": "blue"}]\n' >"$work/nocodes.json"
"$bin" -t csv -o "$work/x.csv" "$work/nocodes.json" 2>"$work/err"
rc=$?
check "JSON whose keys name no field: not a control list" \
    '[ $rc = 1 ] && grep -q "no object has a key naming its id" "$work/err"' "$(cat "$work/err")"
"$bin" -q --column id=code --column title=heading --column description=text -t csv -o "$work/codes.csv" "$work/codes.json"
check "--column maps JSON keys onto fields" \
    "grep -qx 'A.5.1,2,A.5,,Policy,y,,' '$work/codes.csv'" "$(cat "$work/codes.csv")"
"$bin" --column id=kode -t csv -o "$work/x.csv" "$work/codes.json" 2>"$work/err"
rc=$?
check "--column naming no key: exit 2" '[ $rc = 2 ] && grep -q "no-such-column" "$work/err"' "$(cat "$work/err")"

finish
