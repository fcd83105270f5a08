#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of issue 11's CLI behaviours: -q hides warnings even when
# the conversion fails; an option that has no effect on the chosen formats is
# a usage error naming the formats it applies to (given with -f/-t, or
# detected); writing to a closed pipe ends quietly (SIGPIPE).
#   tests/e2e_cli_options.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
data=tests/data
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt

# expect NAME EXIT-CODE STDERR-PATTERN -- ctlconv ARGS...   (stdin: /dev/null)
expect() {
    local name=$1 code=$2 pattern=$3
    shift 4
    "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null
    local rc=$?
    if [ "$rc" != "$code" ]; then ko "$name" "exit $rc, expected $code: $(cat "$work/err")"; return; fi
    if [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$work/err"; then
        ko "$name" "stderr lacks '$pattern': $(cat "$work/err")"; return
    fi
    ok "$name"
}

# --- -q: warnings hidden always, errors shown --------------------------------
expect "without -q a failed conversion shows its warnings" 1 "warning:" -- --limit items=100 -t csv "$seed"
expect "-q, failed conversion: exit 1, the error shown" 1 "more than the limit of 100 items" -- \
    -q --limit items=100 -t csv "$seed"
grep -q 'warning' "$work/err" && ko "-q, failed conversion: no warning printed" "$(cat "$work/err")" ||
    ok "-q, failed conversion: no warning printed"
[ "$(wc -l <"$work/err")" = 1 ] && ok "-q, failed conversion: one line, the error" ||
    ko "-q, failed conversion: one line, the error" "$(cat "$work/err")"
expect "-q --strict, refused: exit 1" 1 "" -- -q --strict -t csv -o "$work/strict.csv" "$seed"
grep -q 'warning:' "$work/err" && ko "-q --strict: the warnings are not printed" "$(cat "$work/err")" ||
    ok "-q --strict: the warnings are not printed"
[ -s "$work/err" ] && ok "-q --strict: the error is printed" || ko "-q --strict: the error is printed"
[ ! -e "$work/strict.csv" ] && ok "-q --strict: nothing written" || ko "-q --strict: nothing written"
expect "-q, success: nothing on stderr" 0 "" -- -q -t csv -o "$work/q.csv" "$seed"
[ ! -s "$work/err" ] && ok "-q, success: stderr empty" || ko "-q, success: stderr empty" "$(cat "$work/err")"

# -q and a CP932 refusal: the error itself says where, nothing "listed above"
printf 'id,title,description,category,answer\nII.1.1.1,t,d〜x,基本,a\nII.1.1.2,𠮷,d,基本,a\n' >"$work/cp.csv"
expect "-q, CP932 refusal: exit 1, the first cell named" 1 \
    "2 cell(s) cannot be written in CP932 without changing them, the first at row 1 (II.1.1.1), column 'description': U+301C 〜, character 2 of the cell" -- \
    -q --output-encoding cp932 -t csv "$work/cp.csv"
[ "$(wc -l <"$work/err")" = 1 ] && ! grep -q 'above' "$work/err" && ok "-q, CP932 refusal: one line, no 'listed above'" ||
    ko "-q, CP932 refusal: one line, no 'listed above'" "$(cat "$work/err")"

# --- options that have no effect on the output format ------------------------
expect "--output-encoding cp932 -t json" 2 "--output-encoding has no effect on json output: it applies to csv and tsv output" -- \
    --output-encoding cp932 -t json "$seed"
grep -qF "Try 'ctlconv --help'" "$work/err" && ok "a usage error points to --help" || ko "a usage error points to --help"
expect "--output-encoding from the -o extension (.xml)" 2 "--output-encoding has no effect on xml output" -- \
    --output-encoding utf-8 -o "$work/x.xml" "$seed"
[ ! -e "$work/x.xml" ] && ok "no output for an option that does not apply" || ko "no output for an option that does not apply"
expect "--substitute -t xml" 2 "--substitute has no effect on xml output: it applies to csv and tsv output" -- \
    --substitute -t xml "$seed"
expect "--excel-safe -t xlsx" 2 "--excel-safe has no effect on xlsx output: it applies to csv and tsv output" -- \
    --excel-safe -t xlsx -o "$work/x.xlsx" "$seed"
expect "--crlf -t text" 2 "--crlf has no effect on text output: it applies to csv and tsv output" -- --crlf -t text "$seed"
expect "--header ja -t jsonl" 2 "--header has no effect on jsonl output: it applies to csv, tsv, xlsx and markdown output" -- \
    --header ja -t jsonl "$seed"
expect "--substitute without --output-encoding cp932" 2 "--substitute has no effect without --output-encoding cp932" -- \
    --substitute -t csv "$seed"
expect "--allow without --strict" 2 "--allow has no effect without --strict" -- \
    --allow title-dropped -t csv -o "$work/allow.csv" "$seed"
[ ! -e "$work/allow.csv" ] && ok "--allow without --strict: nothing written" || ko "--allow without --strict: nothing written"
expect "--allow with --strict applies" 0 "" -- -q --strict --allow stray-header,ref-inferred -t json "$seed"
# ... and where they apply, they still work
expect "--header ja -t xlsx applies" 0 "" -- -q --header ja -t xlsx -o "$work/ja.xlsx" "$seed"
expect "--output-encoding cp932 --substitute -t tsv applies" 0 "" -- -q --output-encoding cp932 --substitute --excel-safe --crlf -t tsv "$seed"

# --- options that have no effect on the input format -------------------------
"$bin" -q -t csv -o "$work/seed.csv" "$seed"
"$bin" -q -t tsv -o "$work/seed.tsv" "$seed"
"$bin" -q -t json -o "$work/seed.json" "$seed"
"$bin" -q -t jsonl -o "$work/seed.jsonl" "$seed"
"$bin" -q -t xml -o "$work/seed.xml" "$seed"
# given with -f: refused before anything is read (a missing input is not reached)
expect "--sheet with -f csv, before reading" 2 "--sheet has no effect on csv input: it applies to xlsx input" -- \
    --sheet 1 -f csv -t json "$work/missing.csv"
expect "--delimiter ';' with -f tsv" 2 "a TSV file is tab-separated: the delimiter ';' cannot be used [delimiter-mismatch]" -- \
    --delimiter ';' -f tsv -t json "$work/seed.tsv"
expect "--delimiter , on detected TSV" 2 "a TSV file is tab-separated: the delimiter ',' cannot be used" -- \
    --delimiter , -t json "$work/seed.tsv"
expect "--delimiter tab with -f tsv applies" 0 "" -- -q --delimiter tab -f tsv -t json "$work/seed.tsv"
expect "--delimiter tab on detected TSV applies" 0 "" -- -q --delimiter tab -t json "$work/seed.tsv"
expect "--column on ctlconv's own JSON" 2 "no key 'x' to map: a ctlconv list names its own fields" -- \
    --column title=x -f json -t csv "$work/seed.json"
# detected: refused once the format is known, naming the file
expect "--sheet on detected CSV" 2 "$work/seed.csv: --sheet has no effect on csv input: it applies to xlsx input" -- \
    --sheet 1 -t json "$work/seed.csv"
expect "--sheet on the seed (text)" 2 "--sheet has no effect on text input" -- --sheet ANNEX2 -t csv "$seed"
expect "--delimiter on detected XLSX" 2 "--delimiter has no effect on xlsx input: it applies to csv and tsv input" -- \
    --delimiter tab -t csv "$data/offices-layout.xlsx"
expect "--delimiter on detected text" 2 "--delimiter has no effect on text input" -- --delimiter , -t csv "$seed"
expect "--column on detected XML" 2 "--column has no effect on xml input" -- --column id=x -t csv "$work/seed.xml"
for f in json jsonl xml; do
    expect "--encoding on detected $f" 2 "--encoding has no effect on $f input: it applies to text, csv, tsv and markdown input" -- \
        --encoding CP932 -t csv "$work/seed.$f"
done
expect "--encoding on detected XLSX" 2 "--encoding has no effect on xlsx input" -- --encoding CP932 -t csv "$data/openpyxl.xlsx"
"$bin" -q --sheet 1 -t csv <"$work/seed.csv" >"$work/out" 2>"$work/err"; rc=$?
[ $rc = 2 ] && grep -qF -- "ctlconv: -: --sheet has no effect on csv input" "$work/err" &&
    ok "--sheet on CSV from standard input (detected)" || ko "--sheet on CSV from standard input (detected)" "exit $rc: $(cat "$work/err")"
[ ! -s "$work/out" ] && ok "detected, refused: nothing on standard output" || ko "detected, refused: nothing on standard output"
echo keep >"$work/kept.json"
expect "detected, refused: an existing output" 2 "--sheet has no effect on csv input" -- --sheet 1 -o "$work/kept.json" "$work/seed.csv"
[ "$(cat "$work/kept.json")" = keep ] && ok "detected, refused: an existing output is kept" ||
    ko "detected, refused: an existing output is kept"
# ... and where they apply, they still work
expect "--sheet on detected XLSX applies" 0 "" -- -q --sheet ANNEX2 -t csv "$data/offices-layout.xlsx"
expect "--column on detected XLSX applies" 0 "" -- -q --column answer=公開回答 -t csv "$data/offices-layout.xlsx"
expect "--encoding and --column on detected text apply" 0 "" -- -q --encoding UTF-8 --column answer=公開回答 -t csv "$seed"
expect "--delimiter on detected CSV applies" 0 "" -- -q --delimiter , -t json "$work/seed.csv"

# --- --column naming a header the input lacks: an error, not a lost mapping ---
printf 'id,title,description,category,answer\nII.1.1.1,t,d,基本,a\n' >"$work/in.csv"
expect "--column FIELD=typo on CSV: exit 2" 2 \
    "$work/in.csv:1: no column 'Nope' to read as description: the header row has 'id', 'title', 'description', 'category', 'answer'" -- \
    --column description=Nope -t json "$work/in.csv"
grep -qF -- "(map others with --column FIELD=HEADER) [no-such-column]" "$work/err" &&
    ok "--column FIELD=typo: the hint and the code" || ko "--column FIELD=typo: the hint and the code" "$(cat "$work/err")"
[ ! -s "$work/out" ] && ok "--column FIELD=typo: nothing written" || ko "--column FIELD=typo: nothing written"
expect "--column FIELD=typo on XLSX: exit 2" 2 "no column 'notes' to read as answer: the header row has 'ISMS 管理策', '項番'" -- \
    --column answer=notes -t csv "$data/offices-layout.xlsx"
expect "--column FIELD=typo on text: exit 2" 2 "no column 'x' to read as answer" -- --column answer=x -t csv "$seed"
expect "--column FIELD=HEADER present: read" 0 "" -- -q --column answer=Answer -t json "$work/in.csv"

# --- Excel's "sep=;" first line: the delimiter, not the title -----------------
# as Excel's Japanese "CSV" is: CP932, CRLF, a sep= line
printf 'sep=;\r\n項番;対策項目;対策内容;区分;公開回答\r\nII. 1. 1. 1;方針, 文書;内容;基本;回答\r\nII. 1. 1. 2;見直し;内容;推奨;\r\n' |
    iconv -f utf-8 -t cp932 >"$work/excel-sep.csv"
expect "sep=; CSV (CP932, CRLF): read" 0 "" -- -q -t json -o "$work/sep.json" "$work/excel-sep.csv"
grep -q '"title": ""' "$work/sep.json" && ! grep -q 'sep=' "$work/sep.json" &&
    grep -q '"title": "方針, 文書"' "$work/sep.json" && [ "$(grep -c '"id": "II' "$work/sep.json")" = 2 ] &&
    ok "sep=; CSV: no 'sep=' title, ';' splits the cells" || ko "sep=; CSV: no 'sep=' title, ';' splits the cells" "$(cat "$work/sep.json")"
expect "sep=; CSV with --delimiter ';' agrees" 0 "" -- -q --delimiter ';' -t json "$work/excel-sep.csv"
expect "sep=; CSV with --delimiter , disagrees" 2 "$work/excel-sep.csv:1: the first line 'sep=;' declares the delimiter ';', but the delimiter ',' was given [delimiter-mismatch]" -- \
    --delimiter , -t json "$work/excel-sep.csv"
expect "sep=; CSV with -f tsv" 2 "but a TSV file is tab-separated [delimiter-mismatch]" -- -f tsv -t json "$work/excel-sep.csv"
cp "$work/excel-sep.csv" "$work/excel-sep.txt"
expect "sep=; CSV named .txt: detected as CSV" 0 "" -- -q -t json -o "$work/sep2.json" "$work/excel-sep.txt"
cmp -s "$work/sep.json" "$work/sep2.json" && ok "sep=; CSV named .txt: read the same" || ko "sep=; CSV named .txt: read the same"

# --- writing to a closed pipe ends quietly ------------------------------------
# a pipe whose reader has gone before ctlconv writes: killed by SIGPIPE (as
# cat is), nothing on stderr, no temporary file left; SIGPIPE at its default
# in the child, as a shell leaves it
mkdir -p "$work/tmp"
cat >"$work/pipe.py" <<'PY'
import os, signal, subprocess, sys
bin, seed, fmt, ignore = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == 'ignored'
r, w = os.pipe()
os.close(r)
pre = (lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN)) if ignore else None
p = subprocess.run([bin, '-q', '-t', fmt, seed], stdout=w, stderr=subprocess.PIPE, preexec_fn=pre)
print(p.returncode)
print(p.stderr.decode().strip())
PY
for f in csv xlsx; do
    TMPDIR=$work/tmp /usr/bin/python3 "$work/pipe.py" "$bin" "$seed" "$f" default >"$work/pipe.out" 2>&1
    [ "$(head -1 "$work/pipe.out")" = -13 ] && ok "closed pipe, -t $f: ended by SIGPIPE" ||
        ko "closed pipe, -t $f: ended by SIGPIPE" "$(cat "$work/pipe.out")"
    [ "$(sed 1d "$work/pipe.out")" = "" ] && ok "closed pipe, -t $f: no message" ||
        ko "closed pipe, -t $f: no message" "$(cat "$work/pipe.out")"
    [ -z "$(ls -A "$work/tmp")" ] && ok "closed pipe, -t $f: no temporary file left" ||
        ko "closed pipe, -t $f: no temporary file left" "$(ls -A "$work/tmp")"
done
# SIGPIPE ignored by whoever started ctlconv: a write error, exit 3, said so
/usr/bin/python3 "$work/pipe.py" "$bin" "$seed" csv ignored >"$work/pipe.out" 2>&1
[ "$(head -1 "$work/pipe.out")" = 3 ] && grep -q 'cannot write standard output: Broken pipe' "$work/pipe.out" &&
    ok "closed pipe with SIGPIPE ignored: exit 3, said so" ||
    ko "closed pipe with SIGPIPE ignored: exit 3, said so" "$(cat "$work/pipe.out")"
# ctlconv ... | head -1: an output larger than any pipe buffer, read one line
/usr/bin/python3 - "$data/seed-expected.csv" >"$work/big.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
out = csv.writer(sys.stdout, lineterminator='\n')
out.writerow(rows[0])
for r in rows[1:]:
    out.writerow(r[:-1] + [r[-1] + 'x' * 20000] if r[1] == '3' else r)
PY
/usr/bin/python3 - "$bin" "$work/big.csv" >"$work/head.out" 2>&1 <<'PY'
import subprocess, sys
p = subprocess.Popen([sys.argv[1], '-q', '-t', 'csv', sys.argv[2]], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
first = p.stdout.readline()
p.stdout.close()
err = p.stderr.read()
print(p.wait())
print(first.decode().strip())
print(err.decode().strip())
PY
[ "$(sed -n 1p "$work/head.out")" = -13 ] && [ "$(sed -n 2p "$work/head.out")" = 'id,level,parent,isms,title,description,category,answer' ] &&
    [ "$(sed -n 3p "$work/head.out")" = "" ] && ok "ctlconv ... | head -1: the first line, then SIGPIPE, quietly" ||
    ko "ctlconv ... | head -1: the first line, then SIGPIPE, quietly" "$(head -c 300 "$work/head.out")"

# --- formats ctlconv knows and refuses: from the format table's rows -------
expect "--list-formats names the refused formats" 0 "" -- --list-formats
grep -qx 'Not read: .xls and .ods (save as .xlsx), .pdf (extract its text first).' "$work/out" &&
    ok "--list-formats: the 'Not read' line from the table" || ko "--list-formats: the 'Not read' line from the table" "$(tail -2 "$work/out")"
expect "-f xls: refused with the advice" 2 "does not read xls: save as .xlsx" -- -f xls -t csv "$seed"
expect "-f pdf: refused with the advice" 2 "does not read pdf: extract its text first" -- -f pdf -t csv "$seed"

finish
