#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of streamed conversions (issue 14): CSV, TSV, the text
# layout and JSON Lines larger than their first megabyte are read as they
# arrive and written to standard output as items come; memory stays flat;
# an encoding that shows only late is read right from a file and refused
# (naming --encoding) from a pipe; a file output stays atomic.  Memory
# bounds are generous (64 MB), and nothing is timed.
#   tests/e2e_stream.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=$PWD/samples/mic-cloud-guideline-v3-annex2-provider.txt
"$bin" -q -t csv "$seed" >"$work/one.csv" || ko "seed converts"
# 200,000 rows (the seed's 160 rows 1250 times, 57 MB)
{ head -1 "$work/one.csv"; for i in $(seq 1250); do tail -n +2 "$work/one.csv"; done; } >"$work/big.csv"
rows=$(($(wc -l <"$work/big.csv") - 1))
check "the big input has 200,000 rows" '[ $rows = 200000 ]' "$rows"
lim="--limit items=10000000"
# a sanitizer build: four times the memory (its shadow), as tests/hostile.sh,
# with a small quarantine (freed blocks it holds back, 256 MB by default)
max_kb=65536
if grep -qa '__asan_init' "$bin"; then
    max_kb=$((65536 * 4))
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"
fi

# --- memory stays flat --------------------------------------------------------
peak() {   # peak RSS in KB of a conversion, its output to /dev/null
    /usr/bin/time -f %M -o "$work/rss" "$bin" -q $lim "$@" >/dev/null 2>"$work/err"
    echo "$? $(tail -1 "$work/rss")"
}
for t in csv json jsonl; do
    read -r rc kb < <(peak -t $t "$work/big.csv")
    check "CSV -> $t of 200,000 rows: exit 0, peak RSS $kb KB <= $max_kb KB" '[ $rc = 0 ] && [ $kb -le $max_kb ]' \
        "exit $rc: $(cat "$work/err")"
done
"$bin" -q $lim -t jsonl -o "$work/big.jsonl" "$work/big.csv" && "$bin" -q $lim -t text -o "$work/big.txt" "$work/big.csv" ||
    ko "the big list converts to JSON Lines and text"
for f in big.jsonl big.txt; do
    read -r rc kb < <(peak -t csv "$work/$f")
    check "$f -> CSV: exit 0, peak RSS $kb KB <= $max_kb KB" '[ $rc = 0 ] && [ $kb -le $max_kb ]' "exit $rc: $(cat "$work/err")"
done
"$bin" -q $lim -t csv "$work/big.jsonl" | cmp -s - "$work/big.csv"
check "streamed JSON Lines -> CSV gives the CSV back" '[ $? = 0 ]'
"$bin" -q $lim -t csv "$work/big.txt" | cmp -s - "$work/big.csv"
check "streamed text -> CSV gives the CSV back" '[ $? = 0 ]'
# the input-size limit bounds a line of a streamed input, not its length
"$bin" -q $lim --limit input-size=2000000 -t csv "$work/big.csv" | cmp -s - "$work/big.csv"
check "a streamed input may be longer than the input-size limit" '[ $? = 0 ]'
"$bin" -q $lim --limit input-size=2000000 -t csv "$work/big.jsonl" >/dev/null 2>&1
check "a streamed JSON Lines input may be longer than the input-size limit" '[ $? = 0 ]'

# --- standard output as items come ------------------------------------------------
"$bin" -q $lim -t csv "$work/big.csv" 2>"$work/err" | head -1 >"$work/first"
st=("${PIPESTATUS[@]}")
check "| head -1: the header line comes" '[ "$(cat "$work/first")" = "$(head -1 "$work/big.csv")" ]' "$(cat "$work/first")"
check "| head -1: ctlconv ends quietly by SIGPIPE (status 141), as cat does" \
    '[ "${st[0]}" = 141 ] && [ ! -s "$work/err" ]' "status ${st[0]}: $(cat "$work/err")"
# a pipe that stays open: the output starts before the input ends
mkfifo "$work/fifo"
{ cat "$work/big.csv"; sleep 60; } >"$work/fifo" &
writer=$!
"$bin" -q $lim -f csv -t jsonl <"$work/fifo" >"$work/early.jsonl" &
conv=$!
for i in $(seq 100); do [ -s "$work/early.jsonl" ] && [ "$(wc -l <"$work/early.jsonl")" -ge 199000 ] && break; sleep 0.2; done
check "standard input: items are written while the input is still open" \
    '[ "$(wc -l <"$work/early.jsonl")" -ge 199000 ] && kill -0 $conv 2>/dev/null' "$(wc -l <"$work/early.jsonl") lines"
kill $writer 2>/dev/null
wait $conv
rc=$?
check "... and the conversion ends well when the input does" '[ $rc = 0 ] && [ "$(wc -l <"$work/early.jsonl")" = 200001 ]' \
    "exit $rc, $(wc -l <"$work/early.jsonl") lines"

# --- an encoding that shows late ------------------------------------------------
{ echo "id,title,description"
  for i in $(seq 1 40000); do echo "$i,Title number $i,Some plain ASCII text for row $i"; done
  printf '40001,\x95\xfb\x90\x6a,\x96\x7b\x95\xb6\n'; } >"$work/late.csv"
"$bin" -q -t jsonl "$work/late.csv" >"$work/late.jsonl" 2>"$work/err"; rc=$?
check "a file whose first non-ASCII byte (CP932) is after 2 MB: read right" \
    '[ $rc = 0 ] && tail -1 "$work/late.jsonl" | grep -q "\"title\": \"方針\", \"description\": \"本文\""' \
    "exit $rc: $(cat "$work/err")"
"$bin" -q -f csv -t jsonl <"$work/late.csv" >"$work/late2.jsonl" 2>"$work/err"; rc=$?
check "the same as a redirected file (standard input, seekable): read right" '[ $rc = 0 ] && cmp -s "$work/late.jsonl" "$work/late2.jsonl"' \
    "exit $rc: $(cat "$work/err")"
cat "$work/late.csv" | "$bin" -q -f csv -t jsonl >"$work/late3.jsonl" 2>"$work/err"; rc=$?
check "... from a pipe, read as UTF-8 on its first part: exit 1, undecodable, naming --encoding" \
    '[ $rc = 1 ] && grep -q "undecodable byte 0x95 at byte offset" "$work/err" && grep -q -- "--encoding" "$work/err" &&
     grep -q "\[undecodable\]" "$work/err"' "exit $rc: $(cat "$work/err")"
check "... what came before the error was written (standard output streams)" \
    '[ "$(wc -l <"$work/late3.jsonl")" -gt 1000 ]' "$(wc -l <"$work/late3.jsonl") lines"
cat "$work/late.csv" | "$bin" -q -f csv --encoding CP932 -t jsonl 2>"$work/err" | cmp -s - "$work/late.jsonl"
check "... and with --encoding CP932 from the pipe: read right" '[ $? = 0 ]' "$(cat "$work/err")"

# --- a file output stays atomic ---------------------------------------------------
{ cat "$work/big.csv"; echo 'II. 9. 9. 9,A.5.1.1,"broken"quote,x,,,,'; } >"$work/broken.csv"
mkdir "$work/out" && echo "old" >"$work/out/list.json"
"$bin" -q $lim -t json -o "$work/out/list.json" "$work/broken.csv" 2>"$work/err"; rc=$?
check "an error at the end of a streamed input: exit 1, malformed-csv" '[ $rc = 1 ] && grep -q "malformed-csv" "$work/err"' \
    "exit $rc: $(cat "$work/err")"
check "... the old output file is intact, no temporary file left" \
    '[ "$(cat "$work/out/list.json")" = old ] && [ "$(ls -A "$work/out")" = list.json ]' "$(ls -A "$work/out")"
"$bin" -q $lim -t json "$work/broken.csv" >"$work/partial.json" 2>"$work/err"; rc=$?
check "... to standard output: exit 1, and what was written stays (more than the 64 KB held)" \
    '[ $rc = 1 ] && [ "$(wc -c <"$work/partial.json")" -gt 65536 ]' "exit $rc, $(wc -c <"$work/partial.json") bytes"
# an error early: the first 64 KB are held, so nothing reaches standard output
{ head -1 "$work/big.csv"; echo 'II. 9. 9. 9,A.5.1.1,"broken"quote,x,,,,'; tail -n +2 "$work/big.csv"; } >"$work/early.csv"
"$bin" -q $lim -t json "$work/early.csv" >"$work/partial.json" 2>/dev/null; rc=$?
check "an error in the first rows of a streamed input: exit 1, nothing on standard output" \
    '[ $rc = 1 ] && [ ! -s "$work/partial.json" ]' "exit $rc, $(wc -c <"$work/partial.json") bytes"
# strict mode stages standard output: the repeated list's warnings refuse it all
"$bin" -q $lim --strict -t json "$work/big.csv" >"$work/strict.json" 2>"$work/err"; rc=$?
check "--strict on a streamed input with warnings: exit 1, nothing on standard output" \
    '[ $rc = 1 ] && [ ! -s "$work/strict.json" ] && grep -q "strict mode: nothing written" "$work/err"' \
    "exit $rc, $(wc -c <"$work/strict.json") bytes"

# --- a write error on standard output -----------------------------------------
# /dev/full: the streamed output (the seed repeated 40 times, beyond the first
# part) fails as the staged one (the seed, read whole) does: exit 3, one
# error, io-error on "-", the same message, naming the system's reason
if [ -w /dev/full ]; then
    { head -1 "$work/one.csv"; for i in $(seq 40); do tail -n +2 "$work/one.csv"; done; } >"$work/mid.csv"
    for t in csv jsonl json text markdown xml xlsx oscal-json oscal-xml ciso-yaml; do
        "$bin" -q $lim --diagnostics json -t $t "$work/mid.csv" >/dev/full 2>"$work/full.streamed"; rs=$?
        "$bin" -q --diagnostics json -t $t "$work/one.csv" >/dev/full 2>"$work/full.staged"; rw=$?
        /usr/bin/python3 - "$work/full.streamed" "$work/full.staged" >"$work/py" 2>&1 <<'PY'
import errno, json, os, sys
msgs = []
for path in sys.argv[1:]:
    diags = [json.loads(l) for l in open(path, encoding='utf-8')]
    errs = [d for d in diags if d['severity'] == 'error']
    assert len(errs) == 1 and errs[0]['code'] == 'io-error' and errs[0]['file'] == '-', (path, diags)
    msgs.append(errs[0]['message'])
assert msgs[0] == msgs[1], msgs
assert os.strerror(errno.ENOSPC) in msgs[0], msgs
PY
        check "-t $t > /dev/full, streamed and staged: exit 3, io-error, one message naming the reason" \
            '[ $rs = 3 ] && [ $rw = 3 ] && [ ! -s "$work/py" ]' "exit $rs and $rw: $(cat "$work/py")"
    done
fi

# --- ISO-2022-JP late: 7-bit, so valid UTF-8 byte for byte ---------------------
{ printf 'id,title,description\n'; for i in $(seq 1 70000); do printf "%d,title %d,text %d\n" "$i" "$i" "$i"; done
  printf '70001,\x1b$BF|K\\8l$NBj\x1b(B,x\n'; } >"$work/jis.csv"
"$bin" -q -t jsonl "$work/jis.csv" >"$work/jis.jsonl" 2>"$work/err"; rc=$?
check "a file whose ISO-2022-JP escapes come after the first part: read as ISO-2022-JP, not as UTF-8" \
    '[ $rc = 0 ] && tail -1 "$work/jis.jsonl" | grep -q "\"title\": \"日本語の題\""' "exit $rc: $(tail -1 "$work/jis.jsonl" | cut -c1-120)"
cat "$work/jis.csv" | "$bin" -q -f csv -t jsonl >/dev/null 2>"$work/err"; rc=$?
check "... from a pipe read as UTF-8 on its first part: exit 1, undecodable at the escape" \
    '[ $rc = 1 ] && grep -q "undecodable byte 0x1B" "$work/err" && grep -q "\[undecodable\]" "$work/err"' "exit $rc: $(cat "$work/err")"

# --- a long page of the text layout read whole: its pages stay whole ----------
# (4,100 items on one page, a reference standing alone after item 4094)
{ printf '\nANNEX2 対策一覧\n\nISMS 管理策\t項番\t対策項目\t対策内容\t区分\t公開回答\t\n'
  printf 'A.5\tII. 1. 情報セキュリティ\t\t\t\t\t\nA.5.1\tII. 1. 1. 文書\t\t\t\t\t\n'
  for i in $(seq 1 4100); do
      if [ "$i" = 4094 ]; then printf '\tII. 1. 1. %d\t題%d\t内容%d\t基本\t回答\t\nA.5.1.2\t\t\t\t\t\t\n' "$i" "$i" "$i"
      else printf 'A.5.1.1\tII. 1. 1. %d\t題%d\t内容%d\t基本\t回答\t\n' "$i" "$i" "$i"; fi
  done; } >"$work/page.txt"
"$bin" -t jsonl "$work/page.txt" >"$work/page.jsonl" 2>"$work/err"; rc=$?
check "a page of 4,100 items read whole: the reference at its foot goes to item 4094 as before" \
    '[ $rc = 0 ] && grep -q "attached by level to II.1.1.4094" "$work/err" && ! grep -q unplaced_isms "$work/page.jsonl"' \
    "exit $rc: $(cat "$work/err")"

finish
