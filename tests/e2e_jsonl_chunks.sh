#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of ctlconv's JSON Lines items without the metadata line
# (a chunk of a split stream): read as items with empty metadata and a
# [no-metadata] warning, giving the full run's items, read whole or
# streamed, and in chunks of GNU parallel --pipe without --header; JSON
# Lines of records read as records, as before.
#   tests/e2e_jsonl_chunks.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt

# --- the seed's items without line 1, read whole ----------------------------
"$bin" -q -t jsonl -o "$work/full.jsonl" "$seed"
"$bin" -q -t csv -o "$work/full.csv" "$work/full.jsonl"
tail -n +2 "$work/full.jsonl" | "$bin" -f jsonl -t csv - >"$work/chunk.csv" 2>"$work/err"
rc=$?
check "items without the metadata line -> CSV: exit 0, the full run's CSV" \
    '[ $rc = 0 ] && cmp -s "$work/full.csv" "$work/chunk.csv"' "exit $rc: $(diff "$work/full.csv" "$work/chunk.csv" | head -3)"
check "... warned once, [no-metadata] on line 1" \
    '[ "$(grep -c "\[no-metadata\]" "$work/err")" = 1 ] && grep -q "^ctlconv: -:1: warning: .*without the metadata line" "$work/err"' \
    "$(cat "$work/err")"
tail -n +2 "$work/full.jsonl" | "$bin" -q -f jsonl -t jsonl - >"$work/chunk.jsonl" 2>"$work/err"
rc=$?
check "... -> JSON Lines: the full run's item lines, after an empty metadata line" \
    '[ $rc = 0 ] && cmp -s <(tail -n +2 "$work/full.jsonl") <(tail -n +2 "$work/chunk.jsonl") &&
     head -1 "$work/chunk.jsonl" | grep -q "^{\"format\": \"ctlconv-list\", \"version\": 2, \"title\": \"\", \"note\": \"\", \"annex\": \"\""' \
    "exit $rc: $(head -1 "$work/chunk.jsonl" | cut -c1-150)"
tail -n +2 "$work/full.jsonl" >"$work/items.jsonl"
"$bin" -q -t csv "$work/items.jsonl" >"$work/detected.csv" 2>"$work/err"
rc=$?
check "... a file of them, its format detected: the same CSV" '[ $rc = 0 ] && cmp -s "$work/full.csv" "$work/detected.csv"' \
    "exit $rc: $(cat "$work/err")"
"$bin" --strict -f jsonl -t csv -o "$work/strict.csv" "$work/items.jsonl" 2>"$work/err"
rc=$?
check "... --strict refuses them (exit 1, nothing written); --allow no-metadata lets them through" \
    '[ $rc = 1 ] && [ ! -e "$work/strict.csv" ] && "$bin" -q --strict --allow no-metadata -f jsonl -t csv "$work/items.jsonl" >/dev/null' \
    "exit $rc: $(cat "$work/err")"

# --- streamed: 3,200 items under distinct ids (1.4 MB), the closing line ----
{
    for k in $(seq 20); do
        tail -n +2 "$work/full.jsonl" |
            sed "s/^{\"id\": \"/{\"id\": \"K$k./; s/\"parent\": \"\([^\"]\)/\"parent\": \"K$k.\1/"
    done
    echo '{"unplaced_isms": ["A.17", "A.18.1"]}'
} >"$work/big-items.jsonl"
{ head -1 "$work/full.jsonl"; cat "$work/big-items.jsonl"; } >"$work/big.jsonl"
"$bin" -q -f jsonl -t csv - <"$work/big.jsonl" >"$work/big.csv"
"$bin" -q -f jsonl -t jsonl - <"$work/big.jsonl" >"$work/big-whole.jsonl"
"$bin" -f jsonl -t csv - <"$work/big-items.jsonl" >"$work/big-chunk.csv" 2>"$work/err"
rc=$?
check "1.4 MB of items without the metadata line (streamed): exit 0, the full run's CSV, [no-metadata] once" \
    '[ $rc = 0 ] && cmp -s "$work/big.csv" "$work/big-chunk.csv" && [ "$(grep -c "\[no-metadata\]" "$work/err")" = 1 ]' \
    "exit $rc: $(cat "$work/err")"
"$bin" -q -f jsonl -t jsonl - <"$work/big-items.jsonl" >"$work/big-chunk.jsonl"
rc=$?
check "... -> JSON Lines: the full run's lines after line 1, the unplaced line kept" \
    '[ $rc = 0 ] && cmp -s <(tail -n +2 "$work/big-whole.jsonl") <(tail -n +2 "$work/big-chunk.jsonl")' "exit $rc"
# a line past the first part without the items' keys: an error, not records
{ head -3000 "$work/big-items.jsonl"; echo '{"id": "Z.1", "title": "x"}'; tail -3 "$work/big-items.jsonl"; } |
    "$bin" -q -f jsonl -t csv - >/dev/null 2>"$work/err"
rc=$?
check "... a line past the first part without the items' keys: exit 1, [bad-structure] on its line" \
    '[ $rc = 1 ] && grep -q "^ctlconv: -:3001: .*\[bad-structure\]" "$work/err"' "exit $rc: $(cat "$work/err")"

# --- GNU parallel --pipe without --header 1 ---------------------------------
if ! command -v parallel >/dev/null 2>&1; then
    echo "SKIP GNU parallel is not installed (apt-get install parallel)"
else
    export PARALLEL_HOME=$work/parallel-home
    mkdir -p "$PARALLEL_HOME" && touch "$PARALLEL_HOME/will-cite"
    # the item lines cut in chunks of 50 KB; each chunk's output is an
    # (empty) metadata line and its items: kept without the metadata lines
    parallel --pipe --block 50k -k -j 2 "$bin" -q -f jsonl -t jsonl - <"$work/big-items.jsonl" 2>"$work/err" |
        grep -v '^{"format": "ctlconv-list"' >"$work/joined.jsonl"
    rc=${PIPESTATUS[0]}
    chunks=$(parallel --pipe --block 50k -k "$bin" -q -f jsonl -t jsonl - <"$work/big-items.jsonl" 2>/dev/null |
        grep -c '^{"format": "ctlconv-list"')
    check "parallel --pipe --block 50k -k -j 2, no --header ($chunks chunks): exit 0" \
        '[ $rc = 0 ] && [ "$chunks" -ge 20 ]' "exit $rc, $chunks chunks: $(cat "$work/err")"
    check "... the joined items are the single run's item lines" \
        'cmp -s <(tail -n +2 "$work/big-whole.jsonl") "$work/joined.jsonl"' \
        "$(diff <(tail -n +2 "$work/big-whole.jsonl") "$work/joined.jsonl" | head -3 | cut -c1-150)"
    "$bin" -q -f jsonl -t csv - <"$work/joined.jsonl" >"$work/joined.csv"
    check "... and read back give the single run's CSV" 'cmp -s "$work/big.csv" "$work/joined.csv"'
fi

# --- records stay records -----------------------------------------------------
printf '%s\n' '{"id": "1", "title": "a", "category": "基本", "level": 1, "owner": "x"}' \
    '{"id": "1.1", "title": "b", "category": "推奨", "level": 2, "owner": "y"}' >"$work/records.jsonl"
"$bin" -t csv "$work/records.jsonl" >"$work/records.csv" 2>"$work/err"
rc=$?
check "JSON Lines of records: read as records (owner an extra column), no [no-metadata]" \
    '[ $rc = 0 ] && head -1 "$work/records.csv" | grep -q ",owner$" && ! grep -q "no-metadata" "$work/err"' \
    "exit $rc: $(cat "$work/records.csv" "$work/err")"
# hand-edited items, one line without category_value: records, as before
sed '$s/, "category_value": [^,]*,/,/' "$work/items.jsonl" >"$work/edited.jsonl"
"$bin" -f jsonl -t csv "$work/edited.jsonl" >"$work/edited.csv" 2>"$work/err"
rc=$?
check "items whose last line lacks a key (read whole): records as before (category_value a column)" \
    '[ $rc = 0 ] && head -1 "$work/edited.csv" | grep -q "category_value" && ! grep -q "no-metadata" "$work/err"' \
    "exit $rc: $(head -1 "$work/edited.csv"; cat "$work/err")"
"$bin" -f jsonl -t csv --column answer=answer "$work/items.jsonl" >"$work/mapped.csv" 2>"$work/err"
rc=$?
check "items read with a column mapping: records (mappings are for records)" \
    '[ $rc = 0 ] && ! grep -q "no-metadata" "$work/err"' "exit $rc: $(cat "$work/err")"
finish
