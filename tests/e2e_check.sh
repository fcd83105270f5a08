#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ctlconv check (issue 16): the seed gives only its inferred references;
# copies of the seed's CSV broken on purpose give each fault with its row
# and code; the real lists (skipped when missing) are read without a crash.
#   tests/e2e_check.sh PATH/TO/ctlconv   (from the project root)
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
py=/usr/bin/python3

"$bin" check "$seed" >"$work/out" 2>"$work/err"
rc=$?
check "check on the seed exits 0" '[ $rc = 0 ]' "rc=$rc $(cat "$work/err")"
check "check on the seed reports one finding: the inferred references" \
    '[ "$(wc -l <"$work/out")" = 1 ] && grep -q "\[ref-inferred\]$" "$work/out"' "$(cat "$work/out")"
check "the finding names the four references and their items" \
    'grep -qF "$seed:123: warning: ISMS references A.17, A.17.1, A.17.1.2, A.17.1.3 stand alone" "$work/out" &&
     grep -qF "attached by level to II.9, II.9.1, II.9.1.1, II.9.1.2" "$work/out"' "$(cat "$work/out")"
check "nothing on standard error" '[ ! -s "$work/err" ]' "$(cat "$work/err")"
"$bin" check --format json "$seed" >"$work/json"
check "--format json: one object with code, severity, file, line, item and message" \
    '[ "$(wc -l <"$work/json")" = 1 ] && $py -c "import json,sys; d=json.loads(open(sys.argv[1]).read()); \
assert d[\"code\"]==\"ref-inferred\" and d[\"severity\"]==\"warning\" and d[\"line\"]==123 and d[\"item\"]==\"II.9\" \
and d[\"file\"]==sys.argv[2] and \"A.17.1.3\" in d[\"message\"]" "$work/json" "$seed"' "$(cat "$work/json")"
"$bin" check -v "$seed" >"$work/verbose"
check "-v adds the reading's notes (stray-header)" 'grep -q "\[stray-header\]$" "$work/verbose"'

"$bin" -t csv -o "$work/seed.csv" "$seed" 2>/dev/null
# break (name, python edit of the rows list: rows[0] is the header)
brk() {
    $py - "$work/seed.csv" "$work/$1.csv" "$2" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
idx = {r[0]: i for i, r in enumerate(rows)}
col = {n: i for i, n in enumerate(rows[0])}
exec(sys.argv[3])
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline="")).writerows(rows)
PY
}
# expect NAME CODE ID: exactly one finding of CODE, on the row of ID
expect() {
    local n=$1 f="$work/$1.csv" code=$2 id=$3
    "$bin" check "$f" >"$work/$n.out" 2>"$work/$n.err"
    local rc=$? line
    line=$($py -c "import csv,sys
n=1
for r in csv.reader(open(sys.argv[1],encoding='utf-8',newline='')):
    if r[0]==sys.argv[2]: print(n)
    n+=1" "$f" "$id" | tail -1)
    check "$n: exit 0, one [$code] at line $line ($id)" \
        '[ $rc = 0 ] && [ "$(grep -c "\[$code\]$" "$work/$n.out")" = 1 ] &&
         grep "\[$code\]$" "$work/$n.out" | grep -qF "$f:$line: warning: "' "rc=$rc $(cat "$work/$n.out" "$work/$n.err")"
    check "$n: nothing else" '[ "$(grep -vc "\[$code\]$" "$work/$n.out")" = 0 ]' "$(cat "$work/$n.out")"
}
brk dup 'rows.insert(idx["II.1.1.2"], list(rows[idx["II.1.1.1"]]))'
"$bin" check "$work/dup.csv" >"$work/dup.out" 2>&1
check "duplicate: [duplicate-id] on the second II.1.1.1 (line 5)" \
    'grep -qF "$work/dup.csv:5: warning: II.1.1.1: an item above has this id too" "$work/dup.out" &&
     [ "$(wc -l <"$work/dup.out")" = 1 ]' "$(cat "$work/dup.out")"
brk gap 'del rows[idx["II.1.1.2"]]'
expect gap number-gap II.1.1.3
brk cat 'rows[idx["II.2.1.1"]][col["category"]] = ""'
expect cat no-category II.2.1.1
brk ref 'rows[idx["II.2.1.1"]][col["isms"]] = "A.9.4.6"'
expect ref ref-unknown II.2.1.1
brk moji 'rows[idx["II.3.1.1"]][col["title"]] = "繧ｳ繝ｳ繝斐Η繝ｼ繧ｿ"'
expect moji mojibake II.3.1.1
brk fffd 'rows[idx["II.3.1.1"]][col["answer"]] = "実施して\ufffdいます"'
expect fffd mojibake II.3.1.1
brk formula 'rows[idx["II.4.1.1"]][col["answer"]] = "=HYPERLINK(\"http://x\")"'
expect formula formula-risk II.4.1.1
brk minus 'rows[idx["II.4.1.1"]][col["answer"]] = "-対策済み"'
expect minus formula-risk II.4.1.1
brk number 'rows[idx["II.4.1.1"]][col["answer"]] = "-1"; rows[idx["II.4.1.2"]][col["answer"]] = "・対策済み"'
"$bin" check "$work/number.csv" >"$work/number.out" 2>&1
check "a negative number and a '・' bullet are no formulas" '[ ! -s "$work/number.out" ]' "$(cat "$work/number.out")"
brk order 'r = rows.pop(idx["II.1.1.1"]); rows.insert(idx["II.1.1"], r)'
"$bin" check "$work/order.csv" >"$work/order.out" 2>&1
check "a control before its section: [number-disorder] or [parent-unknown] on II.1.1.1" \
    'grep -E "II\.1\.1\.1.*\[(number-disorder|parent-unknown)\]$" "$work/order.out" | grep -qF "$work/order.csv:3:"' \
    "$(cat "$work/order.out")"

# usage
"$bin" check >/dev/null 2>&1; rc=$?
check "check without a file: usage, exit 2" '[ $rc = 2 ]'
"$bin" check --format xml "$seed" >/dev/null 2>&1; rc=$?
check "--format xml: usage, exit 2" '[ $rc = 2 ]'
"$bin" check "$work/none.csv" >/dev/null 2>"$work/none.err"; rc=$?
check "a missing file: exit 3 with the error on standard error" '[ $rc = 3 ] && grep -q "io-error" "$work/none.err"'
printf 'no list here\n' >"$work/bad.txt"
"$bin" check "$work/bad.txt" "$seed" >"$work/bad.out" 2>"$work/bad.err"; rc=$?
check "an unreadable list among others: exit 1, the others still checked" \
    '[ $rc = 1 ] && grep -q "\[ref-inferred\]$" "$work/bad.out"' "rc=$rc $(cat "$work/bad.err")"
"$bin" check --help | grep -q -- "--format text|json"
check "check --help names --format" '[ $? = 0 ]'

real=/work/shared/corpora/real
if [ -d "$real" ]; then
    for f in "$real"/*; do
        case $f in *.md) continue ;; esac
        "$bin" check "$f" >"$work/real.out" 2>"$work/real.err"
        rc=$?
        check "real list $(basename "$f"): read and checked (exit 0)" '[ $rc = 0 ]' "rc=$rc $(head -3 "$work/real.err")"
        echo "    $(basename "$f"): $(sed -n 's/.*\[\([a-z0-9-]*\)\]$/\1/p' "$work/real.out" | sort | uniq -c | tr -s ' \n' ' ')"
    done
    f=$real/ismap-control-criteria-2022-04-01.csv
    [ -f "$f" ] && { "$bin" check "$f" | grep -q "\[duplicate-id\]$"; check "ISMAP: its real duplicate ids are found" '[ $? = 0 ]'; }
else
    echo "SKIP the real lists: $real is missing"
fi
finish
