#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of codes that are no identifiers (issue 12): the 886
# codes of touitsukijun_r7.json ("2.1.1(1)-1 a)") are the labels of
# generated ids; written as CSV, TSV, XLSX or Markdown they stay in the id
# column and come back with the same ids, parents and levels; a label the
# id column cannot carry is warned (label-rewritten, with a count).
#   tests/e2e_codes.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
py=/usr/bin/python3

# same A B: the items of two version-2 JSON files agree in id, label,
# level, parent, title, description, category, references and the extra
# fields that are not empty (a table gives each row every column)
cat >"$work/same.py" <<'PY'
import json, sys
def items(f):
    out = []
    for i in json.load(open(f, encoding='utf-8'))['items']:
        i = dict(i)
        i['extra'] = [e for e in i.get('extra', []) if e['value']]
        out.append(i)
    return out
a, b = items(sys.argv[1]), items(sys.argv[2])
assert len(a) == len(b), (len(a), len(b))
for x, y in zip(a, b):
    assert x == y, (x, y)
print(len(a), 'items,', sum(1 for x in a if '#' in x['id'] and x['label']), 'codes')
PY

# --- a list of codes made here --------------------------------------------------
cat >"$work/codes.json" <<'JSON'
{"format": "ctlconv-list", "version": 2, "items": [
 {"id": "2.1.1", "label": "2.1.1", "level": 1, "parent": "", "title": "t"},
 {"id": "2.1.1#1", "label": "2.1.1(1)-1 a)", "level": 2, "parent": "2.1.1", "title": "a"},
 {"id": "2.1.1#2", "label": "", "level": 2, "parent": "2.1.1", "title": "b"},
 {"id": "2.1.1#3", "label": "2.1.1(1)(a)(ア)", "level": 2, "parent": "2.1.1", "title": "c"},
 {"id": "#1", "label": "core", "level": 1, "parent": "", "title": "k"},
 {"id": "A.6", "label": "Policies", "level": 1, "parent": "", "title": "p"}]}
JSON
for t in csv tsv xlsx markdown; do
    "$bin" -t $t -o "$work/codes.$t" "$work/codes.json" 2>"$work/w.err"
    rc=$?
    check "codes written as $t: exit 0, one label-rewritten warning for 'Policies'" \
        "[ $rc = 0 ] && [ \$(wc -l <'$work/w.err') = 1 ] && grep -q \"1 label(s) .*'Policies' of A.6.*\[label-rewritten\]\" '$work/w.err'" \
        "$(cat "$work/w.err")"
    "$bin" -q -t json -o "$work/codes-$t.json" "$work/codes.$t"
    $py - "$work/codes.json" "$work/codes-$t.json" $t >"$work/c.check" 2>&1 <<'PY'
import json, sys
a = json.load(open(sys.argv[1], encoding='utf-8'))['items']
b = json.load(open(sys.argv[2], encoding='utf-8'))['items']
assert [i['id'] for i in a] == [i['id'] for i in b], [i['id'] for i in b]
assert [i['parent'] for i in a] == [i['parent'] for i in b]
for x, y in zip(a, b):
    if '#' in x['id'] and x['label']:
        assert x['label'] == y['label'], (x['label'], y['label'])
PY
    check "codes through $t: the same ids and parents, every code kept" "[ $? = 0 ]" "$(cat "$work/c.check")"
done
check "the CSV's id column holds the codes" \
    "grep -q '^2.1.1(1)-1 a),2,2.1.1,' '$work/codes.csv' && grep -q '^core,1,,' '$work/codes.csv' &&
     grep -q '^2.1.1#2,2,2.1.1,' '$work/codes.csv'" "$(cat "$work/codes.csv")"
"$bin" -q -t json -o "$work/codes-xlsx.json" "$work/codes.xlsx"
check "XLSX keeps the labels: the empty one too" \
    "grep -q '\"id\": \"2.1.1#2\", \"label\": \"\"' '$work/codes-xlsx.json'" "$(grep '2.1.1#2' "$work/codes-xlsx.json")"

real=../shared/corpora/real
t=$real/touitsukijun_r7.json
if [ ! -r "$t" ]; then
    echo "SKIP touitsukijun: $t not found"
    finish
    exit
fi

# --- touitsukijun_r7.json through every table format -----------------------------
"$bin" -q -t json -o "$work/t.json" "$t"
$py -c "
import json, sys
items = json.load(open(sys.argv[1], encoding='utf-8'))['items']
sys.exit(0 if sum(1 for i in items if '#' in i['id'] and i['label']) == 886 else 1)" "$work/t.json"
check "touitsukijun: 886 codes kept as the labels of generated ids" '[ $? = 0 ]'
for f in csv tsv xlsx markdown; do
    "$bin" -t $f -o "$work/t.$f" "$t" 2>"$work/w.err"
    rc=$?
    check "touitsukijun as $f: exit 0, no label-rewritten" "[ $rc = 0 ] && ! grep -q label-rewritten '$work/w.err'" \
        "$(cat "$work/w.err")"
    "$bin" -q -t json -o "$work/t-$f.json" "$work/t.$f"
    $py "$work/same.py" "$work/t.json" "$work/t-$f.json" >"$work/same.out" 2>&1
    check "touitsukijun -> $f -> json equals touitsukijun -> json (ids, the 886 codes, parents, levels, text)" \
        '[ $? = 0 ] && grep -q "^1873 items, 886 codes" "$work/same.out"' "$(tail -3 "$work/same.out")"
done
check "touitsukijun's CSV holds the codes in its id column" \
    "grep -q '^\"2.1.1(1)-1 a)\",\|^2.1.1(1)-1 a),' '$work/t.csv'" "$(sed -n 10,12p "$work/t.csv")"
# and from the version-2 JSON, through XLSX then CSV
"$bin" -q -t xlsx -o "$work/t2.xlsx" "$work/t.json" && "$bin" -q -t csv -o "$work/t2.csv" "$work/t2.xlsx" &&
    "$bin" -q -t json -o "$work/t2.json" "$work/t2.csv"
$py "$work/same.py" "$work/t.json" "$work/t2.json" >"$work/same.out" 2>&1
check "touitsukijun -> json -> xlsx -> csv -> json: the same list" "[ $? = 0 ]" "$(tail -3 "$work/same.out")"

finish
