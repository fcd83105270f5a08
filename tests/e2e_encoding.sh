#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of encoding detection (issue 10, review findings 2 and
# 4): short UTF-8 lists with Greek, math and Latin-1 symbols stay UTF-8;
# half-width katakana lists round-trip through --output-encoding cp932 and
# EUC-JP-MS files read back, all without --encoding.
#   tests/e2e_encoding.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"

# A one-item JSON list titled $1.
list() { printf '{"items":[{"id":"II.1.1.1","label":"II. 1. 1. 1","level":3,"title":"%s"}]}' "$1"; }
# The title of a list read by ctlconv as JSON from stdin.
title_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["title"])'; }

# --- short UTF-8 lists with symbols stay UTF-8 -------------------------------
printf 'id,title,category\nII.1.1.1,phase β,\n' >"$work/b.csv"
"$bin" -t json "$work/b.csv" >"$work/b.json" 2>"$work/err"
check "review's phase β stays UTF-8, without a warning" \
    "[ \"\$(title_of <'$work/b.json')\" = 'phase β' ] && [ ! -s '$work/err' ]" "$(cat "$work/err" "$work/b.json")"
for t in 'Ω' 'phase β' '½ day' 'λ' 'Σ' '÷' '§§' '¶' '©' '®' '·' 'café'; do
    list "$t" >"$work/l.json"
    for f in csv tsv text; do
        "$bin" -q -t "$f" -o "$work/l.$f" "$work/l.json" &&
            "$bin" -f "$f" -t json "$work/l.$f" >"$work/back.json" 2>"$work/err"
        check "UTF-8 $f of a list titled '$t' reads back equal" \
            "[ \"\$(title_of <'$work/back.json')\" = '$t' ]" "$(cat "$work/err" "$work/back.json")"
    done
done

# --- half-width katakana: CP932 round trip, EUC-JP-MS files ----------------
for t in 'ﾃﾞｰﾀ' 'ﾊﾟｽﾜｰﾄﾞ' 'ｶﾀｶﾅ' 'ｶﾀｶﾅ ok' 'ﾈｯﾄﾜｰｸ' 'ｱｸｾｽ' 'ｱｶｳﾝﾄ管理'; do
    list "$t" >"$work/hk.json"
    "$bin" -q -t csv --output-encoding cp932 -o "$work/hk.csv" "$work/hk.json"
    "$bin" -t json "$work/hk.csv" >"$work/back.json" 2>"$work/err"
    check "CP932 output of a list titled '$t' reads back equal" \
        "[ \"\$(title_of <'$work/back.json')\" = '$t' ]" "$(cat "$work/err" "$work/back.json")"
    printf 'id,title,category\nII.1.1.1,%s,\n' "$t" | iconv -f UTF-8 -t EUC-JP-MS >"$work/hk-euc.csv"
    "$bin" -t json "$work/hk-euc.csv" >"$work/back.json" 2>"$work/err"
    check "EUC-JP-MS file titled '$t' reads back equal" \
        "[ \"\$(title_of <'$work/back.json')\" = '$t' ]" "$(cat "$work/err" "$work/back.json")"
done
# ﾃﾞｰﾀ in CP932 is 筑粟 in EUC-JP: the close call is a warning with both readings
list 'ﾃﾞｰﾀ' | "$bin" -q -f json -t csv --output-encoding cp932 -o "$work/hk.csv"
"$bin" -t json -o "$work/back.json" "$work/hk.csv" 2>"$work/err"
check "CP932 ﾃﾞｰﾀ: a warning names --encoding and the EUC-JP-MS reading" \
    "grep -q 'encoding is ambiguous.*EUC-JP-MS \"筑粟.*--encoding.*\[encoding-weak\]' '$work/err'" "$(cat "$work/err")"

# --- short EUC-JP kanji: right, or a warning; never wrong in silence --------
for w in 調達 法的 予測 任命 分無 分離 的能 連法; do
    printf 'id,title,category\nII.1.1.1,%s,\n' "$w" | iconv -f UTF-8 -t EUC-JP-MS >"$work/e.csv"
    "$bin" -t json "$work/e.csv" >"$work/e.json" 2>"$work/err"
    check "EUC-JP-MS $w: read right, or with a warning naming --encoding" \
        "grep -q '\"title\": \"$w\"' '$work/e.json' || grep -q 'ambiguous.*--encoding' '$work/err'" \
        "$(cat "$work/err" "$work/e.json")"
done

# --- one or two characters: read right, or a warning; never silent ----------
# (EUC-JP-MS ｱ alone is CP932 竺; EUC-JP-MS 望 is UTF-8 ˾)
hw_silent=0
hw_list=$(python3 -c 'print(" ".join(chr(c) for c in range(0xFF61, 0xFFA0)))')
for k in $hw_list; do
    for enc in EUC-JP-MS CP932; do
        printf 'id,title,category\nII.1.1.1,%s,\n' "$k" | iconv -f UTF-8 -t "$enc" >"$work/k.csv"
        "$bin" -t json "$work/k.csv" >"$work/k.json" 2>"$work/err" || hw_silent=$((hw_silent + 1))
        grep -q "\"title\": \"$k\"" "$work/k.json" || grep -q '\[encoding-\(weak\|ambiguous\)\]' "$work/err" ||
            { hw_silent=$((hw_silent + 1)); echo "    $enc $k: $(cat "$work/k.json" "$work/err" | tr '\n' ' ')"; }
    done
done
check "63 half-width katakana alone in EUC-JP-MS and CP932 rows: right, or a warning" "[ $hw_silent -eq 0 ]"
printf 'id,title,category\nII.1.1.1,ｱ,\n' | iconv -f UTF-8 -t EUC-JP-MS >"$work/k.csv"
"$bin" -t csv "$work/k.csv" >/dev/null 2>"$work/err"
check "EUC-JP-MS ｱ alone: warning names both readings and --encoding" \
    "grep -q 'too few characters.*CP932 \"竺,\", EUC-JP-MS \"ｱ,\".*--encoding.*\[encoding-weak\]' '$work/err'" \
    "$(cat "$work/err")"
for w in 望 的 英 花; do
    printf 'id,title,category\nII.1.1.1,%s,\n' "$w" | iconv -f UTF-8 -t EUC-JP-MS >"$work/e.csv"
    "$bin" -t json "$work/e.csv" >"$work/e.json" 2>"$work/err"
    check "EUC-JP-MS $w alone: read right, or a warning naming $w" \
        "grep -q '\"title\": \"$w\"' '$work/e.json' || grep -q '\"$w,\".*\[encoding-\(weak\|ambiguous\)\]' '$work/err'" \
        "$(cat "$work/err" "$work/e.json")"
done

finish
