#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of issue 10's table and encoding items through the CLI:
# extra columns with the same header, short EUC-JP input that is valid UTF-8
# too, CP932 output with control characters, --substitute's reports.
#   tests/e2e_tables.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"

# --- two extra columns with the same header, through every format ----------
printf 'id,title,category,answer,memo,memo\nII.1.1.1,t,基本,a,first,second\nII.1.1.2,t,推奨,a,x,y\n' >"$work/dup.csv"
for f in csv tsv text xlsx json xml jsonl; do
    "$bin" -q -t "$f" -o "$work/dup.$f" "$work/dup.csv" 2>"$work/err" &&
        "$bin" -q -f "$f" -t csv -o "$work/dup-back-$f.csv" "$work/dup.$f" 2>>"$work/err"
    check "same-named extra columns keep their values via $f" \
        "grep -q ',first,second\$' '$work/dup-back-$f.csv' && grep -q ',x,y\$' '$work/dup-back-$f.csv'" \
        "$(cat "$work/err" "$work/dup-back-$f.csv" 2>/dev/null)"
done

# --- short EUC-JP input that is valid UTF-8 as well --------------------------
for w in 法的 調達; do
    printf 'id,title,category\nII.1.1.1,%s,\n' "$w" | iconv -f UTF-8 -t EUC-JP-MS >"$work/euc.csv"
    "$bin" -t json "$work/euc.csv" >"$work/euc.json" 2>"$work/err"
    check "EUC-JP $w read as EUC-JP, not as UTF-8 mojibake" "grep -q '\"title\": \"$w\"' '$work/euc.json'" \
        "$(cat "$work/err" "$work/euc.json")"
    check "EUC-JP $w: the weak evidence is a warning naming --encoding" \
        "grep -q 'encoding is ambiguous.*--encoding' '$work/err'" "$(cat "$work/err")"
done
printf 'id,title,category\nII.1.1.1,Zürich café Ūdris,基本\n' >"$work/latin.csv"
"$bin" -t json "$work/latin.csv" >"$work/latin.json" 2>"$work/err"
check "Latin text in UTF-8 stays UTF-8, without a warning" \
    "grep -q 'Zürich café Ūdris' '$work/latin.json' && [ ! -s '$work/err' ]" "$(cat "$work/err")"

# --- CP932 output with DEL and control characters reads back ----------------
printf 'id,title,category,answer\nII.1.1.1,"日本\x7f語\x01x",基本,"a\x1bb"\n' >"$work/ctl.csv"
for f in csv tsv; do
    "$bin" -q --output-encoding cp932 -t "$f" -o "$work/ctl932.$f" "$work/ctl.csv" &&
        "$bin" -q -f "$f" -t json -o "$work/ctl-back-$f.json" "$work/ctl932.$f" 2>"$work/err" &&
        "$bin" -q -t json -o "$work/ctl-orig.json" "$work/ctl.csv"
    check "CP932 $f with DEL and controls reads back equal without --encoding" \
        "grep -F '\"items\"' -A2 '$work/ctl-orig.json' >'$work/a'; grep -F '\"items\"' -A2 '$work/ctl-back-$f.json' >'$work/b'; cmp -s '$work/a' '$work/b'" \
        "$(cat "$work/err")"
done

# --- --substitute names every changed character -----------------------------
printf 'id,title,category\nII.1.1.1,"〜a〜𠮷−",基本\n' >"$work/wave.csv"
"$bin" --substitute --output-encoding cp932 -t csv -o "$work/wave932.csv" "$work/wave.csv" 2>"$work/err"
check "--substitute: one warning for each changed character, with its position" \
    "[ \$(grep -c 'of the cell)' '$work/err') = 4 ] && grep -q \"column 'title': U+2212 − written in CP932 as U+FF0D － (character 5 of the cell)\" '$work/err'" \
    "$(cat "$work/err")"

finish
