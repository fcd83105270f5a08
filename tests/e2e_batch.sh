#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of batch mode (issue 14): -d OUTDIR with several inputs,
# folders (-r), --files-from (-0), several formats in one pass, -j workers
# (a crash fails one input only), the refusals made before anything is
# written, the exit status (the worst input's), the summary, the records of
# --diagnostics json, the progress bar (a terminal only) and -q.
#   tests/e2e_batch.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
py=/usr/bin/python3

# run NAME EXIT-CODE STDERR-PATTERN -- ctlconv ARGS...   (stdin: /dev/null)
run() {
    local name=$1 code=$2 pattern=$3
    shift 4
    "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null
    local rc=$?
    if [ "$rc" != "$code" ]; then ko "$name" "exit $rc, expected $code: $(head -c 600 "$work/err")"; return 1; fi
    if [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$work/err"; then
        ko "$name" "stderr lacks '$pattern': $(head -c 600 "$work/err")"; return 1
    fi
    ok "$name"
}

# items FILE: the items a list holds (its JSON Lines, metadata line left out)
items() { "$bin" -q -t jsonl "$1" 2>/dev/null | tail -n +2 | wc -l; }

# a folder of mixed inputs: the seed as text, CSV, XLSX and JSON made from
# it by ctlconv, one broken file, one file of no known extension
in=$work/in
mkdir -p "$in/a" "$in/b"
cp "$seed" "$in/a/seed.txt"
"$bin" -q -t csv -o "$in/b/list.csv" "$seed"
"$bin" -q -t xlsx -o "$in/b/book.xlsx" "$seed"
"$bin" -q -t json -o "$in/doc.json" "$seed"
printf 'this is no control list\n' >"$in/b/broken.csv"
printf 'notes\n' >"$in/notes.dat"

# --- a folder of mixed inputs, -j 2 ------------------------------------------
run "mixed folder -r -j 2: exit 1 (one broken input)" 1 "5 inputs: 4 converted, 1 failed" -- \
    -t jsonl -d "$work/out1" -r -j 2 "$in"
grep -qF "1 file in the folders skipped" "$work/err" && ok "the summary counts the file of no known extension" ||
    ko "the summary counts the file of no known extension" "$(tail -1 "$work/err")"
grep -qF "broken.csv" "$work/err" && grep -qF "[unrecognised-input]" "$work/err" &&
    ok "the broken input's error is printed with its file" || ko "the broken input's error is printed with its file"
bad=""
for f in a/seed b/list b/book doc; do
    [ "$(items "$work/out1/$f.jsonl")" = 160 ] || bad="$bad $f"
done
check "each output reads back to 160 items, under the input's relative path" '[ -z "$bad" ]' "wrong:$bad"
[ ! -e "$work/out1/b/broken.jsonl" ] && [ "$(find "$work/out1" -type f | wc -l)" = 4 ] &&
    ok "no output for the broken input, nothing else written" || ko "no output for the broken input" "$(find "$work/out1")"
[ ! -s "$work/out" ] && ok "batch mode: standard output stays empty" || ko "batch mode: standard output stays empty"
! grep -q $'\r' "$work/err" && ok "no progress bar when stderr is no terminal" || ko "no progress bar when stderr is no terminal"

# the same with --diagnostics json: a record per input and a summary
run "mixed folder, --diagnostics json: exit 1" 1 "" -- -t jsonl -d "$work/out2" -r -j 2 --diagnostics json "$in"
$py - "$work/err" "$work/out2" >"$work/py" 2>&1 <<'PY'
import json, os, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
inputs = [r for r in recs if r.get('record') == 'input']
summ = [r for r in recs if r.get('record') == 'summary']
diags = [r for r in recs if 'record' not in r]
assert len(inputs) == 5, inputs
assert len(summ) == 1 and recs[-1] is summ[0], summ
s = summ[0]
assert (s['inputs'], s['converted'], s['failed'], s['outputs'], s['skipped'], s['exit']) == (5, 4, 1, 4, 1, 1), s
assert s['warnings'] == sum(r['warnings'] for r in inputs), s
for r in inputs:
    assert set(r) >= {'input', 'status', 'exit', 'items', 'warnings', 'errors', 'outputs', 'code'}, r
    if r['input'].endswith('broken.csv'):
        assert (r['status'], r['exit'], r['errors'], r['outputs'], r['code']) == ('failed', 1, 1, [], 'unrecognised-input'), r
    else:
        assert (r['status'], r['exit'], r['errors'], r['items'], r['code']) == ('ok', 0, 0, 160, None), r
        assert len(r['outputs']) == 1 and os.path.isfile(r['outputs'][0]), r
        assert r['outputs'][0].startswith(sys.argv[2] + '/'), r
for d in diags:
    assert set(d) == {'code', 'severity', 'file', 'line', 'item', 'message', 'hint'}, d
errs = [d for d in diags if d['severity'] == 'error']
assert len(errs) == 1 and errs[0]['file'].endswith('broken.csv') and errs[0]['code'] == 'unrecognised-input', errs
assert any(d['code'] == 'stray-header' and d['line'] == 10 for d in diags), diags
PY
check "json: a record per input (status, exit, items, outputs, code), a truthful summary" '[ ! -s "$work/py" ]' \
    "$(cat "$work/py")"

# -r twice into a folder inside the input folder: the outputs are no inputs
run "-d inside the folder converted (first run)" 1 "5 inputs" -- -t csv -d "$in/conv" -r "$in"
run "-d inside the folder converted: the output folder is passed over" 1 "5 inputs: 4 converted" -- \
    -t csv -d "$in/conv" -r "$in"
rm -rf "$in/conv"

# -r passes over names beginning with a dot and links to folders (no loops)
mkdir -p "$work/z/.git" "$work/elsewhere"
cp "$seed" "$work/z/seed.txt"
cp "$seed" "$work/z/.hidden.txt"
cp "$seed" "$work/z/.git/seed.txt"
cp "$seed" "$work/elsewhere/seed.txt"
ln -s "$work/elsewhere" "$work/z/link"
ln -s "$work/z" "$work/z/loop"
run "-r: dot names and links to folders passed over" 0 "1 input: 1 converted" -- -t csv -d "$work/out21" -r "$work/z"
[ "$(find "$work/out21" -type f)" = "$work/out21/seed.csv" ] && ok "-r: only z/seed.txt converted" ||
    ko "-r: only z/seed.txt converted" "$(find "$work/out21")"

# --- the folder without -r; inputs from a list ------------------------------
run "a folder without -r: usage error naming -r" 2 "give -r" -- -t csv -d "$work/out3" "$in"
[ ! -e "$work/out3" ] && ok "usage error: the output folder is not made" || ko "usage error: the output folder is not made"
printf '%s\n' "$in/a/seed.txt" "" "$in/doc.json" | "$bin" -t csv -d "$work/out4" --files-from - >/dev/null 2>"$work/err"
rc=$?
[ $rc = 0 ] && [ "$(items "$work/out4/seed.csv")" = 160 ] && [ "$(items "$work/out4/doc.csv")" = 160 ] &&
    ok "--files-from -: newline-separated names from standard input" || ko "--files-from -" "exit $rc: $(cat "$work/err")"
odd="$in/a/odd
name.txt"
cp "$seed" "$odd"
printf '%s\0%s\0' "$odd" "$in/doc.json" >"$work/list0"
run "--files-from FILE -0: NUL-separated names (one holds a newline)" 0 "2 inputs: 2 converted" -- \
    -t json -d "$work/out5" --files-from "$work/list0" -0
[ "$(items "$work/out5/odd
name.json")" = 160 ] && ok "-0: the output of a name with a newline" || ko "-0: the output of a name with a newline"
rm -f "$odd"
# a list written on Windows (CRLF): one CR before each newline dropped; a
# name that ends in a CR itself keeps it (listed with CR CR LF), and with -0
# every byte is kept
cr=$'\r'
mkdir -p "$work/crl"
cp "$seed" "$work/crl/a.txt"
cp "$seed" "$work/crl/b$cr.txt"
cp "$seed" "$work/crl/c.txt$cr"
printf '%s\r\n\r\n%s\r\n%s\r' "$work/crl/a.txt" "$work/crl/c.txt$cr" "$in/doc.json" >"$work/listcr"
run "--files-from, a CRLF list: the CRs dropped, exit 0" 0 "3 inputs: 3 converted" -- \
    -t json -d "$work/out5cr" --files-from "$work/listcr"
[ "$(items "$work/out5cr/a.json")" = 160 ] && [ "$(items "$work/out5cr/c.json")" = 160 ] &&
    [ "$(items "$work/out5cr/doc.json")" = 160 ] && ok "CRLF list: each output written under its name" ||
    ko "CRLF list: each output written under its name" "$(ls "$work/out5cr")"
printf '%s\0' "$work/crl/b$cr.txt" "$work/crl/c.txt$cr" >"$work/listcr0"
run "--files-from -0: a CR in or at the end of a name kept" 0 "2 inputs: 2 converted" -- \
    -t json -d "$work/out5cr0" --files-from "$work/listcr0" -0
[ "$(items "$work/out5cr0/b$cr.json")" = 160 ] && [ "$(items "$work/out5cr0/c.json")" = 160 ] &&
    ok "-0: the names' CRs kept" || ko "-0: the names' CRs kept" "$(ls "$work/out5cr0" | od -c | head -3)"
run "an empty list: exit 0, the summary says 0 inputs" 0 "0 inputs: 0 converted, 0 failed" -- \
    -t json -d "$work/out6" --files-from /dev/null
[ ! -e "$work/out6" ] && ok "an empty list: no folder made" || ko "an empty list: no folder made"
run "--files-from without -0, a name with a NUL: refused" 2 "give -0" -- -t json -d "$work/out6" --files-from "$work/list0"
run "-0 without --files-from: usage error" 2 "--files-from" -- -0 -t csv -d "$work/out6" "$seed"
run "--files-from without -d: usage error naming -d" 2 "-d OUTDIR" -- -t csv --files-from "$work/list0"

# --- refusals before anything is written ------------------------------------
mkdir -p "$work/x/a" "$work/x/b"
"$bin" -q -t csv -o "$work/x/a/list.csv" "$seed"
cp "$work/x/a/list.csv" "$work/x/b/list.csv"
run "two inputs writing one output: refused" 2 "would both be written as" -- \
    -t json -d "$work/out7" "$work/x/a/list.csv" "$work/x/b/list.csv"
[ ! -e "$work/out7" ] && ok "collision: nothing written, the folder not made" || ko "collision: nothing written"
run "-r keeps the relative paths: a/list.csv and b/list.csv do not collide" 0 "2 inputs: 2 converted" -- \
    -t json -d "$work/out8" -r "$work/x"
[ -s "$work/out8/a/list.json" ] && [ -s "$work/out8/b/list.json" ] && ok "-r: out/a/list.json and out/b/list.json" ||
    ko "-r: out/a/list.json and out/b/list.json" "$(find "$work/out8")"
cp "$work/x/a/list.csv" "$work/keep.csv"
run "an output over its own input: refused" 2 "would overwrite the input" -- \
    -t csv -d "$work/x/a" "$work/x/a/list.csv"
cmp -s "$work/x/a/list.csv" "$work/keep.csv" && ok "output over input: the input untouched" ||
    ko "output over input: the input untouched"
# y/a/list.json (found by -r) would be written as x/a/list.csv, named too
mkdir -p "$work/y/a"
cp "$in/doc.json" "$work/y/a/list.json"
run "an output over another input: refused, nothing written" 2 "would overwrite the input" -- \
    -t csv -d "$work/x" "$work/x/a/list.csv" -r "$work/y"
[ ! -e "$work/x/list.csv" ] && cmp -s "$work/x/a/list.csv" "$work/keep.csv" &&
    ok "output over another input: nothing written" || ko "output over another input: nothing written"
ln -s "$work/x/a/list.csv" "$work/x/link.csv"
run "the same input named twice (through a link): refused" 2 "are the same input file" -- \
    -t json -d "$work/out9" "$work/x/a/list.csv" "$work/x/link.csv"
run "the same input named twice (./ spelling): refused" 2 "are the same input file" -- \
    -t json -d "$work/out9" "$work/x/a/list.csv" "$work/x/a/./list.csv"
[ ! -e "$work/out9" ] && ok "input twice: nothing written" || ko "input twice: nothing written"
rm -f "$work/x/link.csv"
printf 'x' >"$work/afile"
run "-d naming a file: refused" 2 "is not a folder" -- -t csv -d "$work/afile" "$seed"
[ "$(cat "$work/afile")" = x ] && ok "-d naming a file: the file untouched" || ko "-d naming a file: the file untouched"
# an output file where another output needs a folder: ff/a.csv writes
# out/a.json, ff/a.json/b.csv (found by -r) out/a.json/b.json (and
# ff/a.json-x.csv out/a.json-x.json, which sorts between them); the same one
# level down (ffn), across two folders named (ff2, ff3), either way round
mkdir -p "$work/ff/a.json" "$work/ffn/s/a.json" "$work/ff2/a.json" "$work/ff3"
for f in ff/a.csv ff/a.json/b.csv ff/a.json-x.csv ffn/s/a.csv ffn/s/a.json/b.csv ff2/a.json/b.csv ff3/a.csv; do
    cp "$work/x/a/list.csv" "$work/$f"
done
for c in "ff|ff" "ff, json and csv|ff" "ffn|ffn" "ff2 then ff3|ff2 ff3" "ff3 then ff2|ff3 ff2"; do
    fmts=json
    case ${c%%|*} in *csv*) fmts=csv,json ;; esac
    # shellcheck disable=SC2046
    run "${c%%|*}: an output file where another needs a folder: refused (bad-argument)" 2 '"code":"bad-argument"' -- \
        --diagnostics json -t $fmts -d "$work/out12" -r $(for d in ${c#*|}; do echo "$work/$d"; done)
    [ ! -e "$work/out12" ] && ok "${c%%|*}: file over folder: nothing written, the folder not made" ||
        ko "${c%%|*}: file over folder: nothing written" "$(find "$work/out12")"
    rm -rf "$work/out12"
done
rm "$work/ff/a.json/b.csv" "$work/ffn/s/a.json/b.csv"
run "ff and ffn without the inputs under a.json/: converted" 0 "" -- -q -t json -d "$work/out12" -r "$work/ff" "$work/ffn"
[ -f "$work/out12/a.json" ] && [ -f "$work/out12/s/a.json" ] && ok "out/a.json and out/s/a.json written" ||
    ko "out/a.json and out/s/a.json written" "$(find "$work/out12")"
# an empty folder under -r (no names to sort: a sanitizer build caught qsort
# given NULL)
mkdir -p "$work/emp/none"
cp "$seed" "$work/emp/seed.txt"
run "-r over a tree holding an empty folder" 0 "1 input: 1 converted" -- -t csv -d "$work/out13" -r "$work/emp"
run "-d makes missing folders (mkdir -p)" 0 "1 input: 1 converted" -- -t csv -d "$work/deep/er/out" "$seed"
[ -s "$work/deep/er/out/mic-cloud-guideline-v3-annex2-provider.csv" ] && ok "-d: the output in the new folder" ||
    ko "-d: the output in the new folder"

# --- usage errors --------------------------------------------------------------
run "several inputs without -d: usage error naming -d" 2 "give -d OUTDIR" -- -t csv "$seed" "$in/doc.json"
run "-o with several inputs: usage error naming -d" 2 "give -d OUTDIR" -- -t csv -o "$work/o.csv" "$seed" "$in/doc.json"
run "several formats without -d: usage error naming -d" 2 "give -d OUTDIR" -- -t csv,json "$seed"
run "-t naming a format twice" 2 "names csv twice" -- -t csv,csv -d "$work/out10" "$seed"
run "-t naming an unknown format in a list" 2 "unknown output format 'docx'" -- -t csv,docx -d "$work/out10" "$seed"
run "-j 0: usage error" 2 "-j takes a number of workers" -- -j 0 -t csv -d "$work/out10" "$seed"
run "-j without -d: usage error" 2 "-j needs -d OUTDIR" -- -j 2 -t csv "$seed"
run "standard input with -d: usage error" 2 "standard input" -- -t csv -d "$work/out10" -
[ ! -e "$work/out10" ] && ok "usage errors: nothing written" || ko "usage errors: nothing written"

# --- several formats in one pass ---------------------------------------------
run "-t csv,xlsx,json: three outputs per input" 0 "2 inputs: 2 converted, 0 failed" -- \
    -t csv,xlsx,json -d "$work/out11" -j 2 "$in/a/seed.txt" "$in/b/list.csv"
[ "$(find "$work/out11" -type f | wc -l)" = 6 ] && ok "-t csv,xlsx,json: six files" || ko "-t csv,xlsx,json: six files"
bad=""
for f in seed list; do
    src=$in/a/seed.txt
    [ "$f" = list ] && src=$in/b/list.csv
    "$bin" -q -t csv -o "$work/single.csv" "$src" && cmp -s "$work/single.csv" "$work/out11/$f.csv" || bad="$bad $f.csv"
    "$bin" -q -t json -o "$work/single.json" "$src" && cmp -s "$work/single.json" "$work/out11/$f.json" || bad="$bad $f.json"
    [ "$(items "$work/out11/$f.xlsx")" = 160 ] || bad="$bad $f.xlsx"
done
check "-t csv,xlsx,json: CSV and JSON equal single conversions, the XLSX holds 160 items" '[ -z "$bad" ]' "wrong:$bad"

# --- -q, the exit status, strict mode, reading options for every input --------
run "-q: a batch without failures prints nothing" 0 "" -- -q -t csv -d "$work/out12" "$in/a/seed.txt" "$in/doc.json"
[ ! -s "$work/err" ] && ok "-q: stderr empty" || ko "-q: stderr empty" "$(cat "$work/err")"
run "the exit status is the worst input's: a missing input (3) over a broken one (1)" 3 "2 failed" -- \
    -t csv -d "$work/out13" "$in/b/broken.csv" "$work/missing.csv" "$in/doc.json"
[ -s "$work/out13/doc.csv" ] && ok "failing inputs do not stop the others" || ko "failing inputs do not stop the others"
run "--strict per input: the seed's warnings fail it, the JSON passes" 1 '"converted":1,"failed":1' -- \
    --strict -t json -d "$work/out14" --diagnostics json "$in/a/seed.txt" "$in/doc.json"
grep -q '"input":"[^"]*seed.txt","status":"failed","exit":1.*"code":"strict"' "$work/err" &&
    [ ! -e "$work/out14/seed.json" ] && [ -s "$work/out14/doc.json" ] && ok "--strict: the seed's record says strict, no output" ||
    ko "--strict: the seed's record says strict, no output" "$(grep record "$work/err")"
run "reading options apply to every input (--limit items=100)" 1 "0 converted, 2 failed" -- \
    --limit items=100 -t csv -d "$work/out15" "$in/a/seed.txt" "$in/b/list.csv"
[ "$(grep -c '\[limit\]' "$work/err")" = 2 ] && ok "--limit: both inputs refused by the limit" ||
    ko "--limit: both inputs refused by the limit" "$(cat "$work/err")"

# --map is read once for the batch, before the workers start: a map that can
# be read only once (a pipe) serves three inputs
mkdir -p "$work/de"
for n in 1 2 3; do
    printf 'Kontroll-Nr,Bezeichnung,Beschreibung\nK.1,Organisation,\nK.1.%s,Richtlinie,Es gibt eine\n' "$n" \
        >"$work/de/de$n.csv"
done
printf 'format = csv\ncolumn.id = Kontroll-Nr\ncolumn.title = Bezeichnung\ncolumn.description = Beschreibung\n' \
    >"$work/de.map"
run "--map from a pipe (readable once) serves every input" 0 "3 inputs: 3 converted" -- \
    --map <(cat "$work/de.map") -t jsonl -d "$work/out19" -j 2 -r "$work/de"
[ "$(cat "$work/out19"/de*.jsonl | grep -c '"id": "K.1.[123]"')" = 3 ] && ok "--map: each input read through it" ||
    ko "--map: each input read through it" "$(cat "$work/out19"/de1.jsonl)"

# --- a worker that crashes fails its input only (exit 4) ----------------------
# A FIFO as an input keeps its worker waiting; that worker is then killed.
mkfifo "$work/slow.csv"
"$bin" -t json -d "$work/out16" -j 2 --diagnostics json "$in/a/seed.txt" "$work/slow.csv" "$in/doc.json" \
    >/dev/null 2>"$work/crash.err" &
batch=$!
exec 3>"$work/slow.csv"   # returns once the worker has opened the FIFO
victim=""
for _ in $(seq 50); do
    for p in /proc/[0-9]*; do
        [ "$(cat "$p/comm" 2>/dev/null)" = ctlconv ] || continue
        ls -l "$p/fd" 2>/dev/null | grep -q "slow.csv" && victim=${p#/proc/}
    done
    [ -n "$victim" ] && break
    sleep 0.1
done
[ -n "$victim" ] && kill -SEGV "$victim"
exec 3>&-
wait $batch
rc=$?
[ -n "$victim" ] && [ $rc = 4 ] && ok "a worker killed by SIGSEGV: exit 4" || ko "a worker killed by SIGSEGV: exit 4" "exit $rc, victim '$victim'"
$py - "$work/crash.err" >"$work/py" 2>&1 <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
inputs = {r['input'].rsplit('/', 1)[1]: r for r in recs if r.get('record') == 'input'}
assert inputs['slow.csv']['exit'] == 4 and inputs['slow.csv']['code'] == 'internal', inputs
assert inputs['seed.txt']['status'] == 'ok' and inputs['doc.json']['status'] == 'ok', inputs
assert any(r.get('code') == 'internal' and 'signal' in r['message'] for r in recs), recs
assert recs[-1]['record'] == 'summary' and recs[-1]['failed'] == 1 and recs[-1]['exit'] == 4, recs[-1]
PY
check "the crash fails that input only: its record (exit 4, internal), the others converted" '[ ! -s "$work/py" ]' \
    "$(cat "$work/py")"
[ -s "$work/out16/seed.json" ] && [ -s "$work/out16/doc.json" ] && [ ! -e "$work/out16/slow.json" ] &&
    [ -z "$(find "$work/out16" -name '.*')" ] && ok "after the crash: the others' outputs, no temporary file left" ||
    ko "after the crash: the others' outputs, no temporary file left" "$(ls -A "$work/out16")"

# --- SIGTERM to ctlconv ends its workers too -----------------------------------
"$bin" -q -t json -d "$work/out20" -j 2 "$work/slow.csv" >/dev/null 2>&1 &
batch=$!
exec 3>"$work/slow.csv"   # the worker has the FIFO open
kill -TERM $batch
wait $batch
rc=$?
holders=x
for _ in $(seq 50); do
    holders=""
    for p in /proc/[0-9]*; do
        [ "$(cat "$p/comm" 2>/dev/null)" = ctlconv ] && ls -l "$p/fd" 2>/dev/null | grep -q "slow.csv" && holders="$holders ${p#/proc/}"
    done
    [ -z "$holders" ] && break
    sleep 0.1
done
exec 3>&-
[ $rc = 143 ] && [ -z "$holders" ] && ok "SIGTERM ends ctlconv by that signal, and its workers" ||
    ko "SIGTERM ends ctlconv by that signal, and its workers" "exit $rc, still running:$holders"
[ -z "$(ls -A "$work/out20" 2>/dev/null)" ] && ok "SIGTERM: nothing left in the output folder" ||
    ko "SIGTERM: nothing left in the output folder" "$(ls -A "$work/out20")"

# --- the progress bar on a terminal -------------------------------------------
if command -v script >/dev/null && script -qc true /dev/null >/dev/null 2>&1; then
    script -qc "'$bin' -t csv -d '$work/out17' -j 2 '$in/a/seed.txt' '$in/doc.json' '$in/b/list.csv'" /dev/null \
        >"$work/tty" 2>&1 </dev/null
    grep -q "files/s" "$work/tty" && grep -qF "3/3" "$work/tty" && ok "progress bar on a terminal (files done/total, rate)" ||
        ko "progress bar on a terminal" "$(tr '\r' '\n' <"$work/tty" | tail -3)"
    script -qc "'$bin' -q -t csv -d '$work/out18' '$in/a/seed.txt' '$in/doc.json'" /dev/null >"$work/tty" 2>&1 </dev/null
    ! grep -q "files/s" "$work/tty" && ok "-q: no progress bar on a terminal" || ko "-q: no progress bar on a terminal"
else
    echo "SKIP the progress bar on a terminal: no script(1)"
fi
finish
