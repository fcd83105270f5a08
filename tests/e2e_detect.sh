#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of format detection: tables against the text layout.
#   tests/e2e_detect.sh PATH/TO/ctlconv        (run from the project root)
# Prints one line per check and a closing "N passed, N failed" line.
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
data=tests/data
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
expected=$data/seed-expected.csv

# expect NAME EXIT-CODE STDERR-PATTERN -- ctlconv ARGS...  (standard input: $stdin)
stdin=/dev/null
expect() {
    local name=$1 code=$2 pattern=$3
    shift 4
    "$bin" "$@" >"$work/out" 2>"$work/err" <"$stdin"
    local rc=$?
    if [ "$rc" != "$code" ]; then ko "$name" "exit $rc, expected $code: $(cat "$work/err")"; return; fi
    if [ -n "$pattern" ] && ! grep -q -- "$pattern" "$work/err"; then
        ko "$name" "stderr lacks '$pattern': $(cat "$work/err")"; return
    fi
    ok "$name"
}

# has NAME TEXT: the last output holds TEXT (a fixed string)
has() { if grep -qF -- "$2" "$work/out"; then ok "$1"; else ko "$1" "$(head -5 "$work/out")"; fi; }

# --- the issue's reproducer: TSV with edge spaces and quotes, any name -------
printf 'id\ttitle\tdescription\tanswer\nII.1.1.1\t  Keep  \td\t"a ""q"""\nII.1.1.2\tt\td\ta\nII.1.1.3\tt\td\ta\n' >"$work/m.tsv"
cp "$work/m.tsv" "$work/m.txt"
for f in m.tsv m.txt; do
    expect "$f read as TSV" 0 "" -- -t csv "$work/$f"
    # model v2: no level column, nothing above: a top item (level 1)
    has "$f keeps the spaces and drops the quotes" 'II.1.1.1,1,,,  Keep  ,d,,"a ""q"""'
done
stdin=$work/m.tsv
expect "TSV on standard input read as TSV" 0 "" -- -t csv
has "TSV on standard input keeps the spaces" '  Keep  ,d,,"a ""q"""'
stdin=/dev/null

# --- the first 11 lines of the sample are text, never TSV --------------------
head -n 11 "$seed" >"$work/head.txt"
expect "sample's first lines read as text" 0 "" -- -q -t csv "$work/head.txt"
has "sample's first lines: section row with its title" 'II.1,1,,A.5,情報セキュリティへの組織的取組の基本方針,,,'
stdin=$work/head.txt
expect "sample's first lines on standard input read as text" 0 "" -- -q -t csv
has "sample's first lines on standard input: subsection row" 'II.1.1,2,II.1,A.5.1,組織の基本的な方針を定めた文書,,,'
stdin=/dev/null

# --- the seed and its variants stay text --------------------------------------
for f in "$seed" "$data"/seed-*.txt; do
    n="$(basename "$f") on standard input read as text"
    "$bin" -q -f text -t json <"$f" >"$work/want.json"
    if "$bin" -q -t json <"$f" >"$work/got.json" 2>"$work/err" && cmp -s "$work/got.json" "$work/want.json"; then
        ok "$n"
    else
        ko "$n" "$(cat "$work/err")"
    fi
done

# --- Excel's "Unicode text", also with a cell of several lines ---------------
cp "$data/excel-unicode-text.tsv" "$work/unicode.txt"
"$bin" -q -f tsv -t json "$data/excel-unicode-text.tsv" >"$work/want.json"
expect "Excel Unicode text named .txt read as TSV" 0 "" -- -q -t json "$work/unicode.txt"
cmp -s "$work/out" "$work/want.json" && ok "Excel Unicode text: same list as -f tsv" || ko "Excel Unicode text: same list as -f tsv"
printf 'ISMS管理策\t項番\t対策項目\t対策内容\t区分\t公開回答\r\nA.5\tII.1\t情報\t\t\t\r\nA.5.1.1\tII.1.1.1\t方針\t"・一つ目\n・二つ目"\t基本\t回答\r\nA.5.1.2\tII.1.1.2\t見直し\t内容\t推奨\t回答\r\n' |
    iconv -f UTF-8 -t UTF-16LE | { printf '\xff\xfe'; cat; } >"$work/multi.txt"
stdin=$work/multi.txt
expect "Unicode text with a cell of two lines read as TSV" 0 "" -- -q -t jsonl
has "the cell keeps both lines and the category" '"description": "・一つ目\n・二つ目", "category": "基本", "category_value": "basic"'
stdin=/dev/null

# --- a comma CSV with tabs inside quoted cells --------------------------------
printf 'id,title,description,answer\nII.1.1.1,"a\tb",d,x\nII.1.1.2,"c\td",d,"y\tz"\nII.1.1.3,t,"e\tf",a\n' >"$work/tabs.txt"
expect "CSV with tabs in quoted cells read as CSV" 0 "" -- -t jsonl "$work/tabs.txt"
has "the tab stays in the title" '"title": "a\tb"'

# --- ctlconv's own table outputs read back as what they are -----------------
for t in csv tsv; do
    for h in en ja; do
        for crlf in "" --crlf; do
            what="$t --header $h ${crlf:-LF}"
            "$bin" -q -t "$t" --header "$h" $crlf -o "$work/own.$t" "$seed"
            "$bin" -q --crlf -t csv "$work/own.$t" | cmp -s - "$expected" && ok "$what by name" || ko "$what by name"
            "$bin" -q --crlf -t csv <"$work/own.$t" | cmp -s - "$expected" && ok "$what on standard input" ||
                ko "$what on standard input"
        done
    done
done
"$bin" -q -t text -o "$work/own.txt" "$seed"
"$bin" -q --crlf -t csv <"$work/own.txt" | cmp -s - "$expected" && ok "text output on standard input" ||
    ko "text output on standard input"

# --- traits of both: an error that asks for -f --------------------------------
cp "$seed" "$work/seed.tsv"
expect "the sample named .tsv: text or TSV?" 2 "could be text or tsv" -- -t csv "$work/seed.tsv"
grep -q "say which with -f" "$work/err" && ok "the error says to use -f" || ko "the error says to use -f" "$(cat "$work/err")"
expect "the sample named .tsv with -f text" 0 "" -- -q -f text -t csv "$work/seed.tsv"
printf 'ISMS 管理策\t項番\t対策項目\n\tII. 1.\t"見出し"\n\tII. 1. 1.\tx\n' >"$work/plain"
stdin=$work/plain
expect "nothing tells text from TSV on standard input" 2 "say which with -f" -- -t csv
stdin=/dev/null
cp "$work/plain" "$work/plain.txt"
expect "the same named .txt: .txt decides nothing" 2 "say which with -f" -- -t csv "$work/plain.txt"
expect "the same named .txt with -f text" 0 "" -- -f text -t csv "$work/plain.txt"
has "the text layout keeps the quotes" '"""見出し"""'

# --- a sheet saved as text: title rows padded to the sheet's width ------------
printf 'My list\t\t\n\t\t\nid\ttitle\tcategory\nII. 1. 1. 1\t  padded  \t基本\nII. 1. 1. 2\tt\t推奨\n' >"$work/x.txt"
iconv -f UTF-8 -t UTF-16LE "$work/x.txt" | { printf '\xff\xfe'; cat; } >"$work/x16.txt"
for f in x.txt x16.txt; do
    expect "$f (title rows above the header) read as TSV" 0 "" -- -q -t csv "$work/$f"
    has "$f keeps the spaces of the cell" 'II.1.1.1,1,,,  padded  ,,基本,'
    stdin=$work/$f
    expect "$f on standard input read as TSV" 0 "" -- -q -t csv
    has "$f on standard input keeps the spaces" 'II.1.1.1,1,,,  padded  ,,基本,'
    stdin=/dev/null
done
for how in name stdin; do
    if [ $how = name ]; then got=$("$bin" -q --crlf -t csv "$data/libreoffice-unicode-text.txt")
    else got=$("$bin" -q --crlf -t csv <"$data/libreoffice-unicode-text.txt"); fi
    [ "$got" = "$(cat "$expected")" ] && ok "LibreOffice text of ctlconv's XLSX by $how: the seed's list" ||
        ko "LibreOffice text of ctlconv's XLSX by $how: the seed's list" "$got"
done
# the same made here, when LibreOffice is installed
if command -v soffice >/dev/null; then
    "$bin" -q -t xlsx -o "$work/own.xlsx" "$seed"
    for cs in 76 65535; do
        rm -f "$work/own.txt"
        timeout 120 soffice -env:UserInstallation="file://$work/lo" --headless \
            --convert-to "txt:Text - txt - csv (StarCalc):9,34,$cs" --outdir "$work" "$work/own.xlsx" >/dev/null 2>&1
        if [ ! -s "$work/own.txt" ]; then echo "SKIP LibreOffice did not convert (character set $cs)"; continue; fi
        "$bin" -q --crlf -t csv <"$work/own.txt" | cmp -s - "$expected" &&
            ok "ctlconv XLSX -> LibreOffice text (character set $cs) -> ctlconv" ||
            ko "ctlconv XLSX -> LibreOffice text (character set $cs) -> ctlconv"
    done
else
    echo "SKIP no LibreOffice: XLSX -> text round trip"
fi

# --- ctlconv's text output with quotes a table would refuse -------------------
cat >"$work/q.json" <<'JSON'
{"format":"ctlconv-list","version":1,"items":[
{"id":"II.1.1.1","level":3,"isms":["A.5.1.1"],"title":"  padded  ","description":"say \"hi\"","category":"basic","answer":"a, b"},
{"id":"II.1.1.2","level":3,"isms":[],"title":"t2","description":"d","category":"recommended","answer":"x"},
{"id":"II.1.1.3","level":3,"isms":["A.5.1.2","A.6.1.1"],"title":"t3","description":"\"quoted\"","category":null,"answer":"y"}]}
JSON
"$bin" -q -t text -o "$work/q.txt" "$work/q.json"
stdin=$work/q.txt
expect "own text output with quotes, on standard input, read as text" 0 "" -- -q -t csv
has "the quotes are kept" 'II.1.1.1,3,,A.5.1.1,padded,"say ""hi""",基本,"a, b"'
stdin=/dev/null
expect "own text output with quotes, named .txt, read as text" 0 "" -- -q -t csv "$work/q.txt"
has "the quoted cell is kept" 'II.1.1.3,3,,A.5.1.2; A.6.1.1,t3,"""quoted""",,y'
cp "$work/q.txt" "$work/q.tsv"
expect "the same named .tsv: the TSV reader says where" 1 "a quote inside an unquoted field" -- -t csv "$work/q.tsv"
printf 'id\ttitle\tdescription\nII. 1. 1. 1\tsay "hi"\t  kept  \nII. 1. 1. 2\tt\td\n' >"$work/b.txt"
expect "a refused quote and a cell with spaces at its ends: text or TSV?" 2 "say which with -f" -- -t csv "$work/b.txt"

finish
