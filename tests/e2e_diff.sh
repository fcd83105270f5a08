#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ctlconv diff OLD NEW (issue 16): the seed against a copy made here with
# one control added, one removed, one renumbered, one answer changed and
# one measure reworded reports exactly those five, as text, JSON and an
# XLSX review workbook (rich runs; openpyxl and LibreOffice open it); the
# same lists in other formats give the same diff; equal lists exit 0;
# trouble exits 2 or more.
#   tests/e2e_diff.sh PATH/TO/ctlconv        (from the project root)
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
py=/usr/bin/python3

"$bin" -q -t json "$seed" >"$work/old.json"
$py - "$work/old.json" "$work/new.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
items = d['items']
def at(i): return next(k for k, it in enumerate(items) if it['id'] == i)
items.pop(at('II.1.1.2'))                                        # removed
add = dict(items[at('II.2.1.1')], id='II.2.1.9', label='II. 2. 1. 9', refs=[],
           title='クラウドサービスの新しい対策', answer='当社は専用窓口を設けています。',
           description='事業者は、利用者に対して障害情報を速やかに通知するための連絡手段を整備すること。')
items.insert(at('II.2.1.1') + 1, add)                            # added
assert not any(it['id'] == 'II.3.1.20' for it in items)
items[at('II.3.1.1')].update(id='II.3.1.20', label='II. 3. 1. 20')  # renumbered
items[at('II.4.1.1')]['answer'] = '当社ISMSに基づき、年2回実施しています。'  # answer changed
it = items[at('II.5.1.1')]                                       # measure reworded
assert 'すること' in it['description']
it['description'] = it['description'].replace('すること', 'しなければならない', 1)
json.dump(d, open(sys.argv[2], 'w'), ensure_ascii=False, indent=1)
EOF
check "the edited copy is made" '[ -s "$work/new.json" ]'

# --- text ---------------------------------------------------------------
"$bin" diff -q "$seed" "$work/new.json" >"$work/d.txt" 2>"$work/d.err"
rc=$?
check "text: exit 1 when the lists differ" '[ $rc = 1 ]' "rc=$rc $(cat "$work/d.err")"
check "text: five changes, one of each" \
    'grep -qx "5 changes: 1 added, 1 removed, 1 renumbered, 0 moved, 2 changed" "$work/d.txt"' "$(cat "$work/d.txt")"
check "text: exactly five change lines" \
    '[ "$(grep -cE "^(added|removed|renumbered|moved|changed)" "$work/d.txt")" = 5 ]' "$(cat "$work/d.txt")"
check "text: the removed control" 'grep -q "^removed II.1.1.2: 方針の変更$" "$work/d.txt"'
check "text: the added control" 'grep -q "^added II.2.1.9: クラウドサービスの新しい対策$" "$work/d.txt"'
check "text: the renumbered control, said so" 'grep -q "^renumbered II.3.1.1 -> II.3.1.20 (100% alike): " "$work/d.txt"'
check "text: the changed answer, words marked" \
    'grep -qx "  answer: 当社ISMSに基づき、{+年2回+}実施しています。" "$work/d.txt"'
check "text: the reworded measure, characters marked" \
    'grep -A1 "^changed II.5.1.1" "$work/d.txt" | grep -q "^  description: .*締結\[-すること-\]{+しなければならない+}。$"'
check "text: kept text cut to 60 characters next to a change" \
    'grep -qx "  description: …係る情報セキュリティ上の要求及び責任の分界点を提示・説明するとともに、この要求等に対する明確な同意をもって雇用契約を締結\[-すること-\]{+しなければならない+}。" "$work/d.txt"'
check "text: no colour when standard output is no terminal" '! grep -q $'"'"'\033'"'"' "$work/d.txt"'
"$bin" diff -q --color=always "$seed" "$work/new.json" >"$work/c.txt"
check "text: --color=always colours deleted and inserted words" \
    'grep -q $'"'"'\033\[31;9mすること\033\[0m\033\[32;1mしなければならない'"'"' "$work/c.txt"'

# --- JSON ---------------------------------------------------------------
"$bin" diff -q --format json "$seed" "$work/new.json" >"$work/d.json"
rc=$?
check "json: exit 1" '[ $rc = 1 ]'
out=$($py - "$work/d.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((','.join(c['kind']), c.get('old_id', ''), c.get('new_id', ''),
              ' '.join(f['field'] for f in c['fields'])) for c in d['changes'])
want = sorted([('removed', 'II.1.1.2', '', ''), ('added', '', 'II.2.1.9', ''),
               ('renumbered', 'II.3.1.1', 'II.3.1.20', ''), ('changed', 'II.4.1.1', 'II.4.1.1', 'answer'),
               ('changed', 'II.5.1.1', 'II.5.1.1', 'description')])
assert got == want, got
assert d['counts'] == {'added': 1, 'removed': 1, 'renumbered': 1, 'moved': 0, 'changed': 2}, d['counts']
assert d['equal'] is False
ans = [c for c in d['changes'] if c.get('new_id') == 'II.4.1.1'][0]['fields'][0]['diff']
assert ['+', '年2回'] in ans, ans
print('ok')
EOF
)
check "json: exactly the five changes, with fields and runs" '[ "$out" = ok ]' "$out"
"$bin" diff -q -o "$work/o.json" "$seed" "$work/new.json"
check "json: -o FILE.json writes JSON" '$py -c "import json,sys; json.load(open(sys.argv[1]))" "$work/o.json"'

# --- XLSX ---------------------------------------------------------------
"$bin" diff -q -o "$work/review.xlsx" "$seed" "$work/new.json"
rc=$?
check "xlsx: exit 1 and a workbook" '[ $rc = 1 ] && [ -s "$work/review.xlsx" ]' "rc=$rc"
out=$($py - "$work/review.xlsx" <<'EOF'
import sys, zipfile, re, openpyxl
path = sys.argv[1]
ws = openpyxl.load_workbook(path).active
rows = [r for r in ws.iter_rows(min_row=3, values_only=True)]
assert len(rows) == 5, rows
kinds = sorted(r[0] for r in rows)
assert kinds == ['added', 'changed', 'changed', 'removed', 'renumbered'], kinds
assert any(r[1] == 'II.3.1.1' and r[2] == 'II.3.1.20' for r in rows)
try:                                   # openpyxl >= 3.1 reads the runs
    wb = openpyxl.load_workbook(path, rich_text=True)
    cell = [r for r in wb.active.iter_rows(min_row=3) if r[2].value == 'II.5.1.1'][0][6].value
    runs = {b.text: b.font for b in cell if not isinstance(b, str)}
    assert runs['すること'].strike and runs['しなければならない'].b, runs
except TypeError:                      # older: the runs in the XML
    sst = zipfile.ZipFile(path).read('xl/sharedStrings.xml').decode()
    assert re.search(r'<r><rPr><strike/>[^<]*(<[^>]*>)*?<color rgb="FFC00000"/>.*?<t>すること</t></r>', sst), 'no red strike'
    assert re.search(r'<r><rPr><b/>[^<]*(<[^>]*>)*?<color rgb="FF008000"/>.*?<t>しなければならない</t></r>', sst), 'no green bold'
print('ok')
EOF
)
check "xlsx: openpyxl reads five rows, and the changed words are rich runs (red strike, green bold)" '[ "$out" = ok ]' "$out"
if command -v soffice >/dev/null; then
    (cd "$work" && HOME="$work" timeout 120 soffice --headless \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' review.xlsx >/dev/null 2>&1)
    check "xlsx: LibreOffice converts it, words intact" \
        'grep -q "^renumbered,II.3.1.1,II.3.1.20," "$work/review.csv" && grep -q "しなければならない" "$work/review.csv"' \
        "$(head -3 "$work/review.csv" 2>&1)"
else
    echo "SKIP LibreOffice: soffice is not installed"
fi
"$bin" diff -q --format xlsx "$seed" "$work/new.json" >/dev/null 2>"$work/e"
rc=$?
check "xlsx: without -o is a usage error (2)" '[ $rc = 2 ] && grep -q "needs -o" "$work/e"' "rc=$rc"

# --- across formats -----------------------------------------------------
for f in csv xlsx; do
    "$bin" -q -o "$work/old.$f" "$seed"
    "$bin" -q -o "$work/new.$f" "$work/new.json"
done
norm() { $py -c 'import json,sys; d=json.load(sys.stdin); [d.pop(k) for k in ("old","new","not_compared")]; print(json.dumps(d, sort_keys=True))'; }
"$bin" diff -q --format json "$work/old.json" "$work/new.json" | norm >"$work/j1"
"$bin" diff -q --format json "$work/old.csv" "$work/new.xlsx" | norm >"$work/j2"
"$bin" diff -q --format json "$work/old.xlsx" "$work/new.csv" | norm >"$work/j3"
"$bin" diff -q --format json "$seed" "$work/new.xlsx" | norm >"$work/j4"
check "across formats: JSON vs JSON, CSV vs XLSX, XLSX vs CSV, text vs XLSX give the same diff" \
    '[ -s "$work/j1" ] && cmp -s "$work/j1" "$work/j2" && cmp -s "$work/j1" "$work/j3" && cmp -s "$work/j1" "$work/j4"' \
    "$(diff "$work/j1" "$work/j2" | head -5)"
"$bin" -q -t oscal-json -o "$work/new.oscal.json" "$work/new.json"
"$bin" diff --format json "$seed" "$work/new.oscal.json" >"$work/j5" 2>"$work/e"
out=$($py -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["counts"] == {"added": 1, "removed": 1, "renumbered": 1, "moved": 0, "changed": 1}, d["counts"]
assert "answer" in d["not_compared"]
print("ok")' "$work/j5")
check "text vs OSCAL catalog: the four changes it can hold, answers not compared and said so" \
    '[ "$out" = ok ] && grep -q "(oscal-json) does not keep answers: not compared" "$work/e"' "$out $(cat "$work/e")"

# --- equal lists, trouble -----------------------------------------------
"$bin" diff -q "$seed" "$work/old.json" >"$work/eq.txt"
rc=$?
check "equal lists (text vs JSON): exit 0, said so" '[ $rc = 0 ] && grep -qx "the lists are equal" "$work/eq.txt"' "rc=$rc"
"$bin" diff -q "$work/old.csv" "$work/old.xlsx" >/dev/null
rc=$?
check "equal lists (CSV vs XLSX): exit 0" '[ $rc = 0 ]' "rc=$rc"
"$bin" diff -q "$seed" >/dev/null 2>"$work/e"
rc=$?
check "one list only: usage error (2)" '[ $rc = 2 ] && grep -q "give two lists" "$work/e"' "rc=$rc"
"$bin" diff -q --format yaml "$seed" "$seed" >/dev/null 2>&1
rc=$?
check "an unknown --format: usage error (2)" '[ $rc = 2 ]' "rc=$rc"
"$bin" diff -q "$seed" "$work/missing.csv" >/dev/null 2>&1
rc=$?
check "a missing file: I/O error (3), not 'differ'" '[ $rc = 3 ]' "rc=$rc"
printf 'id,title\n"unterminated\n' >"$work/bad.csv"
"$bin" diff -q "$seed" "$work/bad.csv" >/dev/null 2>"$work/e"
rc=$?
check "an input that is no readable list: 2, not 'differ' (1)" '[ $rc = 2 ]' "rc=$rc $(cat "$work/e")"

# --- the man page names every option of ctlconv diff --help ---------------
text=$(sed 's/\\-/-/g' converters/cli/ctlconv.1)
missing=""
for o in $("$bin" diff --help | sed -nE -e 's/^ +(-[A-Za-z]), (--[a-z][a-z0-9-]*).*/\1 \2/p' \
    -e 's/^ +(--[a-z][a-z0-9-]*).*/\1/p'); do
    grep -qE -- "(^|[^a-z-])$o([^a-z-]|$)" <<<"$text" || missing="$missing $o"
done
check "the man page names every option of ctlconv diff --help" '[ -z "$missing" ] && grep -q "^ctlconv diff" <<<"$text"' \
    "missing:$missing"
# A side that keeps only ISO/IEC 27001 references (a CISO Assistant
# library): the others are not compared, and the program says so.
real=${CTL_REAL:-../shared/corpora/real}
if [ -f "$real/ismap-control-criteria-2022-04-01.csv" ]; then
    "$bin" -q -t ciso-yaml -o "$work/ismap.yaml" "$real/ismap-control-criteria-2022-04-01.csv"
    "$bin" diff --color=never "$real/ismap-control-criteria-2022-04-01.csv" "$work/ismap.yaml" >"$work/d.out" 2>"$work/d.err"
    rc=$?
    check "ISMAP against its ciso-yaml: equal (its 27014:2013 references are not kept there)" \
        "[ $rc = 0 ] && grep -q 'the lists are equal' '$work/d.out'" "rc $rc; $(tail -3 "$work/d.out")"
    check "... and the program says references were not compared" \
        "grep -q 'does not keep references other than ISO/IEC 27001 identifiers' '$work/d.err'" "$(cat "$work/d.err" | grep diff)"
else
    echo "SKIP no ISMAP list at $real"
fi
finish
