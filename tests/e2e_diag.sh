#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of issue 11's diagnostic codes through the CLI: the code
# in brackets after each message, the hints the CLI words, --strict with
# --allow, --list-codes and the README's table of codes.
#   tests/e2e_diag.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
# run NAME: runs the rest, keeping the exit code in $rc and standard error in $work/err
run() { "$@" >"$work/out" 2>"$work/err"; rc=$?; }

# --- the seed's warnings, each with its code --------------------------------
run "$bin" -t csv "$seed"
check "the seed converts with warnings" "[ $rc = 0 ]" "$(cat "$work/err")"
check "the seed's warnings are stray-header, ref-inferred and title-dropped, in that order" \
    "[ \"\$(sed -n 's/.* \[\([a-z0-9-]*\)\]\$/\1/p' '$work/err' | tr '\n' ' ')\" = 'stray-header ref-inferred title-dropped ' ]" \
    "$(cat "$work/err")"
check "a warning keeps its place and wording, the code follows in brackets" \
    "grep -qx 'ctlconv: $seed:123: warning: ISMS references A.17, A.17.1, A.17.1.2, A.17.1.3 stand alone at the foot of the page (lines 123-129); attached by level to II.9, II.9.1, II.9.1.1, II.9.1.2 (an inference: check it) \[ref-inferred\]' '$work/err'" \
    "$(cat "$work/err")"
cp "$work/out" "$work/plain.csv"

# --- --strict and --allow ---------------------------------------------------
run "$bin" --strict -t csv "$seed"
check "--strict refuses the seed: exit 1, the strict error with its hint and code" \
    "[ $rc = 1 ] && [ ! -s '$work/out' ] && grep -q 'in strict mode: nothing written (let some through with --allow CODE; see --list-codes) \[strict\]\$' '$work/err'" \
    "$(cat "$work/err")"
run "$bin" --strict --allow ref-inferred,title-dropped -t csv "$seed"
check "--strict --allow ref-inferred,title-dropped still refuses the seed's stray-header (1 warning)" \
    "[ $rc = 1 ] && grep -q ': 1 warning(s) in strict mode' '$work/err'" "$(cat "$work/err")"
run "$bin" --strict --allow stray-header,ref-inferred,title-dropped -t csv "$seed"
check "--strict --allow with the seed's three codes succeeds, with the same output" \
    "[ $rc = 0 ] && cmp -s '$work/out' '$work/plain.csv' && [ \$(grep -c 'warning:' '$work/err') = 3 ]" \
    "$(cat "$work/err")"
run "$bin" --strict --allow stray-header --allow ref-inferred --allow title-dropped,ref-inferred -t csv "$seed"
check "--allow is repeatable, and a code named twice is fine" "[ $rc = 0 ]" "$(cat "$work/err")"
run "$bin" --strict --allow stray-header,ref-inferred -t json "$seed"
check "--strict --allow: JSON keeps the title, so two codes suffice" "[ $rc = 0 ]" "$(cat "$work/err")"
run "$bin" --strict --allow no-such-code -t csv "$seed"
check "--allow with an unknown code is a usage error (exit 2)" \
    "[ $rc = 2 ] && grep -q \"not 'no-such-code'\" '$work/err' && [ ! -s '$work/out' ]" "$(cat "$work/err")"
run "$bin" --strict --allow ref-inferred,bogus -t csv "$seed"
check "--allow: one unknown code among known ones is a usage error" "[ $rc = 2 ]" "$(cat "$work/err")"
run "$bin" --allow limit -t csv "$seed"
check "--allow takes warnings only: an error code is a usage error" "[ $rc = 2 ]" "$(cat "$work/err")"
run "$bin" --allow '' -t csv "$seed"
check "--allow '' is a usage error" "[ $rc = 2 ]" "$(cat "$work/err")"

# --- hints worded by the CLI --------------------------------------------------
run "$bin" --limit items=159 -t csv "$seed"
check "a limit: the CLI words how to raise it, then the code" \
    "[ $rc = 1 ] && grep -q 'more than the limit of 159 items (raise it with --limit items=N) \[limit\]\$' '$work/err'" \
    "$(cat "$work/err")"
printf '整理記号,備考\nII.1.1.1,t\n' >"$work/nohdr.csv"
run "$bin" -f csv -t json "$work/nohdr.csv"
check "no header: the hint names --column" \
    "[ $rc = 1 ] && grep -q '(map others with --column FIELD=HEADER) \[no-header\]\$' '$work/err'" "$(cat "$work/err")"
run "$bin" --encoding UTF-8 -t csv tests/data/seed-cp932-crlf.txt
check "undecodable: the hint names --encoding" \
    "[ $rc = 1 ] && grep -q 'undecodable byte.*(give the encoding with --encoding NAME) \[undecodable\]\$' '$work/err'" \
    "$(cat "$work/err")"

printf 'id,title,category\nII.1,a\xe3\x80\x9c,基本\n' >"$work/wave.csv"
run "$bin" --output-encoding cp932 -t csv "$work/wave.csv"
check "CP932 that would change: each change a warning with its code, then the error naming --substitute" \
    "[ $rc = 1 ] && grep -q \"column 'title': U+301C .* \\[cp932-changed\\]\$\" '$work/err' && grep -q 'and 〓 (with --substitute) \[cp932-unwritable\]\$' '$work/err'" \
    "$(cat "$work/err")"

# --- the list of codes --------------------------------------------------------
run "$bin" --list-codes
n=$(wc -l <"$work/out")
check "--list-codes lists every code once, each with a severity and a meaning" \
    "[ $rc = 0 ] && [ $n -ge 30 ] && [ \$(cut -d' ' -f1 '$work/out' | sort -u | wc -l) = $n ] && ! grep -vqE '^[a-z0-9]+(-[a-z0-9]+)* +(warning|error) +[^ ]' '$work/out'" \
    "$(head -3 "$work/out")"
for c in ref-inferred row-skipped title-dropped limit encoding-guessed encoding-weak undecodable ragged-row \
         not-a-list ambiguous-format out-of-memory io-error; do
    grep -q "^$c " "$work/out" || ko "--list-codes has $c"
done
"$bin" --help | grep -q -- '--list-codes' && ok "--help points to --list-codes" || ko "--help points to --list-codes"
sed -n '/<!-- codes begin -->/,/<!-- codes end -->/p' README.md | grep '^| `' >"$work/readme"
bash tests/diag_codes_table.sh "$bin" >"$work/table"
check "the README's table of codes is the one --list-codes gives (tests/diag_codes_table.sh)" \
    "cmp -s '$work/readme' '$work/table'" "$(diff "$work/readme" "$work/table" | head -5)"

# --- the library words no option of the CLI -----------------------------------
grep -nE '"[^"]*(--(limit|encoding|sheet|column|substitute|strict|allow|output-encoding)|-f FORMAT|with -f\b)' \
    converters/*.c formats/*.c | grep -v '^converters/main\.c:' >"$work/flags" || true
check "no library message names a CLI option (the CLI words the hints)" "[ ! -s '$work/flags' ]" "$(cat "$work/flags")"

finish
