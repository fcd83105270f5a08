#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of the Markdown format (issue 12) through the CLI: the
# seed through Markdown and back, a GitHub statement of applicability,
# detection, options and refusals, real lists through Markdown.
#   tests/e2e_markdown.sh PATH/TO/ctlconv        (run from the project root)
# Prints one line per check and a closing "N passed, N failed" line.
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=../shared/seeds/000_aa2d90e492d78b70.txt
[ -f "$seed" ] || seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
soa=tests/data/soa-github.md
real=../shared/corpora/real

# --- the seed: text -> markdown -> csv is text -> csv ------------------------
"$bin" -q -t csv -o "$work/seed.csv" "$seed" &&
    "$bin" -q -t markdown -o "$work/seed.md" "$seed" &&
    "$bin" -q -t csv -o "$work/seed-md.csv" "$work/seed.md"
check "seed -> markdown -> csv equals seed -> csv" "cmp -s '$work/seed.csv' '$work/seed-md.csv'" \
    "$(diff "$work/seed.csv" "$work/seed-md.csv" | head -5)"
"$bin" -q -t markdown -o "$work/seed2.md" "$work/seed.md"
check "markdown rewritten gives the same bytes" "cmp -s '$work/seed.md' '$work/seed2.md'"
"$bin" -q -t json "$seed" | grep -v '"label"' | grep -v '"columns"' >"$work/a.json"
"$bin" -q -t json "$work/seed.md" | grep -v '"label"' | grep -v '"columns"' >"$work/b.json"
check "the title, note and annex heading survive Markdown" "cmp -s '$work/a.json' '$work/b.json'" \
    "$(diff "$work/a.json" "$work/b.json" | head -5)"
check "the seed in Markdown: a title heading, the annex heading, 160 rows" \
    "[ \"\$(grep -c '^| II' '$work/seed.md')\" = 160 ] && head -1 '$work/seed.md' | grep -q '^# ' &&
     grep -q '^## ANNEX2 対策一覧\$' '$work/seed.md'"

# --- a GitHub statement of applicability --------------------------------------
"$bin" -t csv -o "$work/soa.csv" "$soa" 2>"$work/err"
check "the SoA is detected and read (exit 0)" "[ \$? = 0 ] || false; [ -s '$work/soa.csv' ]" "$(cat "$work/err")"
check "the SoA: 6 controls under 2 heading items, nothing from fences or comments" \
    "[ \"\$(grep -c '^A\.' '$work/soa.csv')\" = 8 ] && ! grep -q '99' '$work/soa.csv'" "$(cat "$work/soa.csv")"
check "the SoA: a heading item and a control under it" \
    "grep -qx 'A.5,1,,,組織的管理策,,,,,' '$work/soa.csv' &&
     grep -q '^A.5.2,2,A.5,,情報セキュリティの役割及び責任,.*,Yes,CISO | 情報システム部\$' '$work/soa.csv'"
check "the SoA: links keep their text, markup goes, <br> breaks the line" \
    "grep -q '^A.5.1,2,A.5,,情報セキュリティのための方針群,.*\"情報セキュリティ基本方針 を制定\$' '$work/soa.csv' &&
     grep -q 'MDM で管理（詳細は手順書）\$' '$work/soa.csv' && grep -q ',No Yes,承認 と 実施 を分離\$' '$work/soa.csv'"
check "the SoA: the revision table is skipped with a warning naming its line" \
    "grep -q 'soa-github.md:19: warning: a table whose header row names no id column' '$work/err'"
"$bin" -q -t json "$soa" >"$work/soa.json"
check "the SoA: title and note from the document" \
    "grep -q '\"title\": \"適用宣言書 (Statement of Applicability)\"' '$work/soa.json' &&
     grep -qF '\"note\": \"ISO/IEC 27001:2022 附属書A の管理策について、当社での適用の有無と理由を示す。\\n最終更新は 改訂履歴 を参照。\"' '$work/soa.json'"
"$bin" -q -t markdown "$soa" >"$work/soa-out.md" && "$bin" -q -t json "$work/soa-out.md" >"$work/soa2.json"
grep -v '"columns"' "$work/soa.json" >"$work/x"
grep -v '"columns"' "$work/soa2.json" >"$work/y"
check "the SoA through Markdown again reads the same" "cmp -s '$work/x' '$work/y'" \
    "$(diff "$work/x" "$work/y" | head -5)"

# --- detection, options, refusals --------------------------------------------
check "Markdown on standard input is detected" "'$bin' -q -t csv <'$soa' | grep -q '^A.8.3,'"
cp "$soa" "$work/soa.txt"
check "Markdown named .txt is detected by content" "'$bin' -q -t csv '$work/soa.txt' | grep -q '^A.8.3,'"
check "-t markdown --header ja writes Japanese header words" \
    "'$bin' -q --header ja -t markdown '$seed' | grep -q '^| 項番 | 階層 |'"
"$bin" -q --output-encoding cp932 -t markdown "$seed" >/dev/null 2>"$work/err"
check "--output-encoding with -t markdown is a usage error (exit 2)" \
    "[ \$? = 2 ] || false; grep -q 'has no effect on markdown output' '$work/err'" "$(cat "$work/err")"
printf '# Notes\n\n| II.1 | a | b |\n| II.2 | c | d |\n' >"$work/none.md"
"$bin" -t csv "$work/none.md" >/dev/null 2>"$work/err"
check "rows without a delimiter row: exit 1, no-header, the rows named" \
    "[ \$? = 1 ] || false; grep -q 'no pipe table.*no-header' '$work/err' &&
     grep -q 'none.md:3: warning: a line that looks like a table row outside any table' '$work/err'" "$(cat "$work/err")"
printf '| id | title | description |\n|---|---|---|\n| II.1 | a | b |\n\n| id | title | answer |\n|---|---|---|\n| II.2 | c | d |\n' >"$work/two.md"
"$bin" -q -t csv -o "$work/two.csv" "$work/two.md" 2>"$work/err"
check "tables of different headers: exit 1, nothing written" \
    "[ \$? = 1 ] || false; [ ! -e '$work/two.csv' ] && grep -q 'two.md:5:.*one list' '$work/err'" "$(cat "$work/err")"
printf 'id,title,description\nII.1,"a | b","|---|---|"\n' >"$work/pipes.csv"
check "a CSV with pipes in its cells stays CSV" "'$bin' -q -t json '$work/pipes.csv' | grep -q '\"title\": \"a | b\"'"
check "--list-formats names markdown" "'$bin' --list-formats | grep -q markdown"

# --- real lists through Markdown ------------------------------------------------
if [ -d "$real" ]; then
    for f in cis-controls-v8.csv ismap-control-criteria-2022-04-01.csv; do
        [ -f "$real/$f" ] || continue
        "$bin" -q -t csv -o "$work/r.csv" "$real/$f" 2>/dev/null &&
            "$bin" -q -t markdown -o "$work/r.md" "$real/$f" &&
            "$bin" -q -t csv -o "$work/r-md.csv" "$work/r.md"
        check "$f -> markdown -> csv equals $f -> csv" "cmp -s '$work/r.csv' '$work/r-md.csv'" \
            "$(diff "$work/r.csv" "$work/r-md.csv" | head -5)"
    done
else
    echo "SKIP real lists: $real is missing"
fi

finish
