#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of the ctlconv program on real files.
#   tests/e2e.sh PATH/TO/ctlconv        (run from the project root)
# Prints one line per check and a closing "N passed, N failed" line.
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
data=tests/data
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
expected=$data/seed-expected.csv

# expect NAME EXIT-CODE STDERR-PATTERN -- ctlconv ARGS...
expect() {
    local name=$1 code=$2 pattern=$3
    shift 4
    "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null
    local rc=$?
    if [ "$rc" != "$code" ]; then ko "$name" "exit $rc, expected $code: $(cat "$work/err")"; return; fi
    if [ -n "$pattern" ] && ! grep -q -- "$pattern" "$work/err"; then
        ko "$name" "stderr lacks '$pattern': $(cat "$work/err")"; return
    fi
    ok "$name"
}

# same NAME FILE: FILE is byte for byte the list read by hand
same() {
    if cmp -s "$2" "$expected"; then ok "$1"; else ko "$1" "$(diff <(head -c 3000 "$2") <(head -c 3000 "$expected") | head -5)"; fi
}

# same_values NAME FILE: as same, the category words of FILE read as their
# values (model v2 keeps a category word as the source spells it: a list
# that spells them basic/recommended is the seed's list in other words)
same_values() {
    /usr/bin/python3 - "$2" >"$work/values.csv" <<'PY'
import csv, sys
words = {'basic': '基本', 'recommended': '推奨'}
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
w = csv.writer(sys.stdout, lineterminator='\r\n')
for r in rows:
    if len(r) > 6: r[6] = words.get(r[6], r[6])
    w.writerow(r)
PY
    same "$1" "$work/values.csv"
}

# --- the seed, every way in ------------------------------------------------
"$bin" -q --crlf -t csv -o "$work/seed.csv" "$seed" && same "seed file to CSV" "$work/seed.csv"
"$bin" -q --crlf -t csv <"$seed" >"$work/stdin.csv" && same "seed stdin to stdout" "$work/stdin.csv"
"$bin" -q -f text --crlf -t csv - <"$seed" >"$work/dash.csv" && same "seed '-' with -f" "$work/dash.csv"
"$bin" -q -o "$work/seed.txt" "$seed" -t text && "$bin" -q --crlf -o "$work/back.csv" "$work/seed.txt" -t csv &&
    same "seed through the text writer and back" "$work/back.csv"
"$bin" -q -t text "$work/seed.txt" >"$work/seed2.txt" && cmp -s "$work/seed.txt" "$work/seed2.txt" &&
    ok "text writer output rewrites to the same bytes" || ko "text writer output rewrites to the same bytes"
for v in cp932-crlf utf16le-bom eucjp cr fullwidth iso2022jp; do
    "$bin" -q --crlf -t csv "$data/seed-$v.txt" >"$work/$v.csv" && same "variant $v" "$work/$v.csv"
done
"$bin" -q --encoding CP932 --crlf -t csv "$data/seed-cp932-crlf.txt" >"$work/enc.csv" && same "--encoding CP932" "$work/enc.csv"
expect "--encoding wrong for the file" 1 "undecodable byte" -- --encoding UTF-8 -t csv "$data/seed-cp932-crlf.txt"
expect "--encoding unknown" 2 "unknown encoding" -- --encoding NOPE-42 -t csv "$seed"

# Japanese header, TSV, JSON
"$bin" -q --header ja -t csv "$seed" 2>/dev/null | head -1 | grep -qx '項番,階層,親項番,ISMS管理策,対策項目,対策内容,区分,公開回答' &&
    ok "--header ja" || ko "--header ja"
[ "$("$bin" -q -t tsv "$seed" | wc -l)" = 161 ] && ok "TSV has 161 lines" || ko "TSV has 161 lines"
if "$bin" -q -o "$work/seed.json" "$seed"; then
    if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
        # JSON version 2 (issue 12): valid against a schema in formats/ for
        # it; skipped (FIXME) while formats/ holds the version-1 schema only
        /usr/bin/python3 - "$work/seed.json" formats/*.schema.json <<'PY' 2>"$work/schema.err"
import json, sys, jsonschema
doc = json.load(open(sys.argv[1], encoding='utf-8'))
assert len(doc['items']) == 160, len(doc['items'])
assert doc['annex'] == 'ANNEX2 対策一覧'
schemas = [json.load(open(f, encoding='utf-8')) for f in sys.argv[2:]]
errors = []
for s in schemas:
    try:
        jsonschema.validate(doc, s)
        sys.exit(0)
    except jsonschema.ValidationError as e:
        errors.append(e.message)
print('\n'.join(errors), file=sys.stderr)
sys.exit(2 if all('version 1' in s.get('title', '') for s in schemas) else 1)
PY
        case $? in
        0) ok "JSON valid against the schema, 160 items" ;;
        2) echo "SKIP JSON valid against the schema (FIXME: formats/ has no version-2 JSON schema yet)" ;;
        *) ko "JSON valid against the schema, 160 items" "$(cat "$work/schema.err")" ;;
        esac
    else
        ko "JSON schema check" "python3-jsonschema is not installed (apt-get install python3-jsonschema)"
    fi
else
    ko "seed to JSON by -o extension"
fi

# --- warnings, --strict ------------------------------------------------------
expect "warnings name file and line" 0 "mic-cloud-guideline-v3-annex2-provider.txt:123: warning: ISMS references A.17" -- -t csv -o "$work/w.csv" "$seed"
rm -f "$work/strict.csv"
expect "--strict turns warnings into an error" 1 "in strict mode" -- --strict -t csv -o "$work/strict.csv" "$seed"
[ ! -e "$work/strict.csv" ] && ok "--strict leaves no output" || ko "--strict leaves no output"
expect "-q hides warnings" 0 "" -- -q -t csv -o "$work/q.csv" "$seed"
[ ! -s "$work/err" ] && ok "-q prints nothing" || ko "-q prints nothing" "$(cat "$work/err")"

# --- bad input ---------------------------------------------------------------
# (empty files, random bytes, attacks: tests/hostile/, run by tests/hostile.sh)
expect "empty stdin" 1 "empty input" -- -t csv
head -c 65536 /dev/urandom | tr -d '\000' >"$work/random-nonul.bin"
expect "random bytes without NUL" 1 "" -- -t csv "$work/random-nonul.bin"
printf 'hello\nworld\n' >"$work/prose.txt"
expect "text that is no control list" 1 "not a control list" -- -t csv "$work/prose.txt"
expect "text that is no control list, -f text" 1 "no control rows" -- -f text -t csv "$work/prose.txt"
printf '%%PDF-1.7\n%%\xe2\xe3\n' >"$work/list.pdf"
expect "PDF" 1 "extract its text first" -- -t csv "$work/list.pdf"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest' >"$work/list.xls"
expect "XLS" 1 "save it as .xlsx" -- -t csv "$work/list.xls"
/usr/bin/python3 - "$work" <<'PY'
import sys, zipfile
w = sys.argv[1]
with zipfile.ZipFile(w + '/list.ods', 'w') as z:
    z.writestr('mimetype', 'application/vnd.oasis.opendocument.spreadsheet')
    z.writestr('content.xml', '<x/>')
with zipfile.ZipFile(w + '/list.docx', 'w') as z:
    z.writestr('[Content_Types].xml', '<x/>')
    z.writestr('word/document.xml', '<x/>')
with zipfile.ZipFile(w + '/other.zip', 'w') as z:
    z.writestr('readme.txt', 'hi')
PY
expect "ODS" 1 "save it as .xlsx" -- -t csv "$work/list.ods"
expect "DOCX" 1 "not a workbook" -- -t csv "$work/list.docx"
expect "other zip" 1 "not an Excel" -- -t csv "$work/other.zip"

# --- CSV in the shapes offices send -------------------------------------------
# Each fixture reads to the seed's rows: through the text writer (which joins a
# multi-line cell's lines with a space, as the PDF extraction did) it comes out
# byte for byte as the hand-read list; and rewriting what ctlconv wrote from it
# gives the same bytes.
for f in offices-cp932-crlf.csv excel-csv-utf8-bom.csv title-rows.csv excel-unicode-text.tsv semicolon.csv; do
    "$bin" -q -t text "$data/$f" >"$work/fx.txt" && "$bin" -q -f text --crlf -t csv "$work/fx.txt" >"$work/fx.csv" &&
        same_values "fixture $f reads to the seed's rows" "$work/fx.csv"
    "$bin" -q -t csv "$data/$f" >"$work/fx1.csv" && "$bin" -q -t csv "$work/fx1.csv" >"$work/fx2.csv" &&
        cmp -s "$work/fx1.csv" "$work/fx2.csv" && ok "fixture $f: CSV round trip is stable" ||
        ko "fixture $f: CSV round trip is stable"
done
"$bin" -q -t json "$data/title-rows.csv" 2>/dev/null | grep -q '"annex": "ANNEX2 対策一覧"' &&
    ok "title rows above the header become title, note and annex" || ko "title rows above the header"
"$bin" -q -t csv "$data/offices-cp932-crlf.csv" 2>/dev/null | grep -q '^III.2.1.3,3,III.2.1,,.*"アプリケーションサービスのトランザクションに含まれる情報は、次の事項を未然に防止するために、保護すること。$' &&
    ok "multi-line cell kept as lines inside a quoted cell" || ko "multi-line cell kept as lines inside a quoted cell"
"$bin" -q -f csv --delimiter ';' -t csv "$data/semicolon.csv" >"$work/semi.csv" && "$bin" -q -t text "$work/semi.csv" |
    "$bin" -q -f text --crlf -t csv >"$work/semi2.csv" && same_values "--delimiter ';'" "$work/semi2.csv"
expect "TSV by extension when the content is ambiguous" 0 "" -- -q -t csv "$data/excel-unicode-text.tsv"

# CP932 output: iconv accepts it and it reads back to the same rows
"$bin" -q --output-encoding cp932 --crlf -t csv -o "$work/s932.csv" "$seed" &&
    iconv -f CP932 -t UTF-8 "$work/s932.csv" >/dev/null && ok "CP932 output accepted by iconv -f CP932" ||
    ko "CP932 output accepted by iconv -f CP932"
"$bin" -q --crlf -t csv "$work/s932.csv" >"$work/s932back.csv" && same "CP932 output reads back" "$work/s932back.csv"
"$bin" -q --output-encoding utf-8-bom -t csv "$seed" 2>/dev/null | head -c 3 | od -An -tx1 | grep -q 'ef bb bf' &&
    ok "utf-8-bom output starts with a BOM" || ko "utf-8-bom output starts with a BOM"
printf 'id,title,category\nII.1,波〜ダッシュ,\nII.2,𠮷野家,基本\n' >"$work/wave.csv"
rm -f "$work/wave932.csv"
expect "CP932: a cell that would change is an error" 1 "row 1 (II.1), column 'title': U+301C" -- --output-encoding cp932 -t csv -o "$work/wave932.csv" "$work/wave.csv"
grep -q "row 2 (II.2), column 'title': U+20BB7" "$work/err" && ok "CP932: every such cell is named" || ko "CP932: every such cell is named" "$(cat "$work/err")"
[ ! -e "$work/wave932.csv" ] && ok "CP932 failure leaves no output" || ko "CP932 failure leaves no output"
expect "CP932 with --substitute" 0 "written in CP932 as U+FF5E" -- --substitute --output-encoding cp932 -t csv -o "$work/wave932.csv" "$work/wave.csv"
iconv -f CP932 -t UTF-8 "$work/wave932.csv" | grep -q '^II.2,1,,,〓野家,,基本,$' && ok "--substitute writes 〓" || ko "--substitute writes 〓"

# formula injection: data round-trips exactly; --excel-safe neutralises
printf 'id,title,description,answer\nII.1,=1+1,"\t@SUM(A1)",-2\nII.2,+cmd,@x,"\rx"\n' >"$work/formula.csv"
"$bin" -q -t csv "$work/formula.csv" >"$work/f1.csv" && "$bin" -q -t csv "$work/f1.csv" >"$work/f2.csv" &&
    cmp -s "$work/f1.csv" "$work/f2.csv" && grep -q '^II.1,1,,,=1+1,	@SUM(A1),,-2$' "$work/f1.csv" && grep -q "^II.2,1,,,+cmd,@x,,\"$(printf '\r')x\"$" "$work/f1.csv" &&
    ok "formula-like cells are data and round-trip exactly" || ko "formula-like cells round-trip" "$(cat "$work/f1.csv")"
"$bin" -q --excel-safe -t csv "$work/formula.csv" >"$work/f3.csv" &&
    grep -q "^II.1,1,,,'=1+1,'	@SUM(A1),,'-2$" "$work/f3.csv" && grep -q "^II.2,1,,,'+cmd,'@x,,\"'$(printf '\r')x\"$" "$work/f3.csv" &&
    ok "--excel-safe prefixes '" || ko "--excel-safe prefixes '" "$(cat "$work/f3.csv")"

# CSV bad input: clear error with line, exit 1, no output
printf 'id,title,category\nII.1,a"b,基本\n' >"$work/badquote.csv"
expect "quote inside an unquoted field" 1 "badquote.csv:2: malformed CSV in field 2" -- -t json "$work/badquote.csv"
printf 'name,value,notes\nII.1,a,b\n' >"$work/noheader.csv"
expect "no recognisable header" 1 "no header row" -- -f csv -t json "$work/noheader.csv"
expect "--column maps an unknown header" 0 "" -- -q -f csv --column id=name --column title=value --column answer=notes -t csv "$work/noheader.csv"
grep -q '^II.1,1,,,a,,,b$' "$work/out" && ok "--column result" || ko "--column result" "$(cat "$work/out")"
expect "--column bad field" 2 "--column takes FIELD=HEADER" -- --column colour=name -t csv "$work/noheader.csv"
printf 'id,title,category\nII.1,\x82\xa0\xff,基本\n' >"$work/badbyte.csv"
expect "CSV undecodable byte" 1 "badbyte.csv:2: .*byte 0xFF" -- -t json "$work/badbyte.csv"
/usr/bin/python3 -c "import sys; sys.stdout.write('id,title,category\nII.1,\"' + 'x' * 2000000 + '\",基本\n')" >"$work/bigfield.csv"
expect "field over --max-field-size" 1 "longer than the limit of 1048576 bytes" -- --max-field-size 1M -t json "$work/bigfield.csv"
expect "field under the limit" 0 "" -- -q --max-field-size 3M -t json -o "$work/big.json" "$work/bigfield.csv"

# --- XLSX ----------------------------------------------------------------------
for f in libreoffice-shared-strings.xlsx openpyxl.xlsx furigana.xlsx offices-layout.xlsx; do
    "$bin" -q -t text "$data/$f" >"$work/fx.txt" && "$bin" -q -f text --crlf -t csv "$work/fx.txt" >"$work/fx.csv" &&
        same "workbook $f reads to the seed's rows" "$work/fx.csv"
done
"$bin" -q -t csv "$data/furigana.xlsx" >"$work/furi.csv" && ! grep -q 'フリガナ' "$work/furi.csv" &&
    ok "furigana runs never leak into the text" || ko "furigana runs never leak into the text"
expect "several sheets: the one with a header, said which" 0 "read sheet 'ANNEX2' (2 of 2)" -- -t csv -o "$work/ol.csv" "$data/offices-layout.xlsx"
expect "--sheet by name" 0 "" -- -q --sheet ANNEX2 -t csv "$data/offices-layout.xlsx"
expect "--sheet by number, a sheet without a header" 1 "no header row" -- --sheet 1 -t csv "$data/offices-layout.xlsx"
expect "--sheet unknown" 2 "no sheet 'nope'; the workbook has '表紙', 'ANNEX2'" -- --sheet nope -t csv "$data/offices-layout.xlsx"

# what ctlconv writes: reproducible, no formula, opens in openpyxl and LibreOffice with the same text
"$bin" -q -o "$work/w1.xlsx" "$seed" && "$bin" -q -o "$work/w2.xlsx" "$seed" && cmp -s "$work/w1.xlsx" "$work/w2.xlsx" &&
    ok "XLSX output is byte-identical across two runs" || ko "XLSX output is byte-identical across two runs"
"$bin" -q -o "$work/w3.xlsx" "$work/w1.xlsx" && cmp -s "$work/w1.xlsx" "$work/w3.xlsx" &&
    ok "rewriting ctlconv's XLSX gives the same bytes" || ko "rewriting ctlconv's XLSX gives the same bytes"
cat >"$work/check_xlsx.py" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[2], encoding='utf-8', newline='')))
want = [(r['title'], r['description'], r['category'], r['answer']) for r in rows]
def check(got, who):
    got = [g for g in got if any(g)]
    hdr = got.index(('title', 'description', 'category', 'answer'))
    body = got[hdr + 1:]
    assert body == want, (who, len(body), len(want), next((i, a, b) for i, (a, b) in enumerate(zip(body, want)) if a != b))
if sys.argv[1] == 'openpyxl':
    import openpyxl
    wb = openpyxl.load_workbook(sys.argv[3])
    ws = wb.active
    formulas = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == 'f']
    assert not formulas, formulas
    assert ws.freeze_panes == 'A6', ws.freeze_panes
    assert ws.auto_filter.ref == 'A5:H165', ws.auto_filter.ref   # id, level, parent, isms, title ... answer
    assert ws.title == 'ANNEX2 対策一覧', ws.title
    assert wb.properties.title.startswith('クラウドサービス提供'), wb.properties.title
    check([tuple('' if v is None else str(v) for v in r[4:8]) for r in ws.iter_rows(values_only=True)], 'openpyxl')
else:
    got = list(csv.reader(open(sys.argv[3], encoding='utf-8', newline='')))
    check([tuple(r[4:8]) if len(r) >= 8 else ('', '', '', '') for r in got], 'libreoffice')
PY
/usr/bin/python3 "$work/check_xlsx.py" openpyxl "$expected" "$work/w1.xlsx" 2>"$work/py.err" &&
    ok "openpyxl reads ctlconv's XLSX: same text, no formula, frozen header, autofilter" ||
    ko "openpyxl reads ctlconv's XLSX" "$(tail -3 "$work/py.err")"
if command -v soffice >/dev/null; then
    mkdir -p "$work/lo"
    (cd "$work/lo" && timeout 120 soffice -env:UserInstallation=file://"$work/lo/profile" --headless \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' "$work/w1.xlsx" --outdir "$work/lo" >/dev/null 2>&1)
    /usr/bin/python3 "$work/check_xlsx.py" libreoffice "$expected" "$work/lo/w1.csv" 2>"$work/py.err" &&
        ok "LibreOffice opens ctlconv's XLSX with the same text" || ko "LibreOffice opens ctlconv's XLSX" "$(tail -3 "$work/py.err")"
else
    ko "LibreOffice check" "soffice is not installed (apt-get install libreoffice-calc-nogui)"
fi
unzip -p "$work/w1.xlsx" xl/worksheets/sheet1.xml | grep -q '<f>' && ko "no formula element in the sheet XML" || ok "no formula element in the sheet XML"


# --- XML, JSON, JSON Lines ----------------------------------------------------
"$bin" -q -o "$work/seed.xml" "$seed" && "$bin" -q -o "$work/seed.jsonl" "$seed" &&
    "$bin" -q -t xml "$work/seed.xml" >"$work/seed2.xml" && cmp -s "$work/seed.xml" "$work/seed2.xml" &&
    "$bin" -q -t jsonl "$work/seed.jsonl" >"$work/seed2.jsonl" && cmp -s "$work/seed.jsonl" "$work/seed2.jsonl" &&
    "$bin" -q -t json "$work/seed.json" >"$work/seed2.json" && cmp -s "$work/seed.json" "$work/seed2.json" &&
    ok "XML, JSON and JSON Lines rewrite to the same bytes" || ko "XML, JSON and JSON Lines rewrite to the same bytes"
for f in seed.xml seed.jsonl seed.json; do
    "$bin" -q --crlf -t csv "$work/$f" >"$work/$f.csv" && same "$f detected and read back" "$work/$f.csv"
done
[ "$(wc -l <"$work/seed.jsonl")" = 161 ] && ok "JSON Lines: metadata and 160 item lines" || ko "JSON Lines line count"
# XML version 2 (issue 12): valid against an XSD in formats/ for it;
# skipped (FIXME) while formats/ holds the version-1 XSD only
xsd=$(grep -L 'name="version" type="xs:string" fixed="1"' formats/*.xsd 2>/dev/null | head -1)
if ! command -v xmllint >/dev/null; then
    ko "XSD check" "xmllint is not installed (apt-get install libxml2-utils)"
elif [ -z "$xsd" ]; then
    echo "SKIP XML valid against the XSD (FIXME: formats/ has no version-2 XSD yet)"
else
    xmllint --noout --schema "$xsd" "$work/seed.xml" 2>"$work/xsd.err" &&
        ok "XML valid against $xsd" || ko "XML valid against $xsd" "$(cat "$work/xsd.err")"
    "$bin" -q -t xml "$data/offices-cp932-crlf.csv" >"$work/multi.xml" &&
        xmllint --noout --schema "$xsd" "$work/multi.xml" 2>/dev/null &&
        ok "XML of a list with multi-line cells valid too" || ko "XML of a list with multi-line cells valid too"
fi
sed 's|<label>II. 1.</label>|<label>II. 1.</label><colour>red</colour>|' "$work/seed.xml" >"$work/unknown.xml"
expect "XML unknown element names its line" 1 "unknown.xml:17: unknown element <colour> in <item>" -- -t json "$work/unknown.xml"
printf '<other xmlns="urn:x"/>' >"$work/other.xml"
expect "XML of another vocabulary" 1 "not a control list: the root element is <other>" -- -t json "$work/other.xml"
printf 'id,title,category\nII.1,"a\x01b",\n' >"$work/ctrl.csv"
expect "XML cannot hold a control character: error, no output" 1 "U+0001, which XML 1.0 cannot hold" -- -t xml -o "$work/ctrl.xml" "$work/ctrl.csv"
[ ! -e "$work/ctrl.xml" ] && ok "no partial XML left" || ko "no partial XML left"

printf '{"a": 1}' >"$work/other.json"
expect "valid JSON of another shape" 1 "not a control list" -- -t csv "$work/other.json"
printf '{"items": [{"id": "II.1", "colour": "red"}]}' >"$work/unknownkey.json"
expect "JSON unknown key" 1 "item 1 (II.1): unknown key 'colour'" -- -t csv "$work/unknownkey.json"
jts=../shared/corpora/JSONTestSuite/test_parsing
if [ -d "$jts" ]; then
    bad=0 n=0
    for f in "$jts"/*.json; do
        n=$((n + 1))
        timeout 10 "$bin" -f json -t csv -o "$work/jts.csv" "$f" >/dev/null 2>"$work/jts.err"
        rc=$?
        if [ $rc != 1 ] || [ ! -s "$work/jts.err" ] || [ -e "$work/jts.csv" ]; then bad=$((bad + 1)); echo "    $f: exit $rc"; fi
    done
    [ $bad = 0 ] && ok "JSONTestSuite: all $n cases end in a clean error (exit 1, a message, no output)" ||
        ko "JSONTestSuite: $bad of $n cases did not end cleanly"
else
    echo "SKIP JSONTestSuite: $jts not found"
fi

# --- limits: just under and just over ----------------------------------------
size=$(wc -c <"$seed")
expect "input exactly at --limit input-size" 0 "" -- -q --limit input-size=$size -t csv "$seed"
expect "input one byte over --limit input-size" 1 "larger than the limit of $((size - 1)) bytes (raise it with" -- --limit input-size=$((size - 1)) -t csv "$seed"
expect "xlsx entries at the limit" 0 "" -- -q --limit zip-entries=9 -t csv "$data/openpyxl.xlsx"
expect "xlsx entries over the limit" 1 "9 entries, more than the limit of 8 (raise it with --limit zip-entries=N)" -- --limit zip-entries=8 -t csv "$data/openpyxl.xlsx"
expect "--limit unknown name" 2 "--limit takes NAME=N" -- --limit rows=5 -t csv "$seed"
expect "--limit of 0" 2 "--limit takes NAME=N with N above 0" -- --limit items=0 -t csv "$seed"
expect "160 items at --limit items=160" 0 "" -- -q --limit items=160 -t csv "$seed"
expect "160 items over --limit items=159" 1 "more than the limit of 159 items (raise it with --limit items=N)" -- --limit items=159 -t csv -o "$work/items.csv" "$seed"
[ ! -e "$work/items.csv" ] && ok "items over the limit: no output" || ko "items over the limit: no output"
"$bin" -q -o "$work/items.json" "$seed"
expect "items limit holds for JSON input too" 1 "limit of 100 items" -- --limit items=100 -t csv "$work/items.json"
expect "8 columns at --limit columns=8" 0 "" -- -q --limit columns=8 -t json "$expected"
expect "8 columns over --limit columns=7" 1 "seed-expected.csv:1: more than the limit of 7 cells in a row (raise it with --limit columns=N)" -- --limit columns=7 -t json "$expected"
expect "XLSX (6 columns) over --limit columns=5" 1 "more than the limit of 5 cells in a row (raise it with --limit columns=N)" -- --limit columns=5 -t csv "$data/openpyxl.xlsx"
expect "XLSX (6 columns) at --limit columns=6" 0 "" -- -q --limit columns=6 -t csv "$data/openpyxl.xlsx"
/usr/bin/python3 -c "print('[' * 2048 + ']' * 2048)" >"$work/d2048.json"
/usr/bin/python3 -c "print('[' * 2049 + ']' * 2049)" >"$work/d2049.json"
expect "JSON 2048 deep: parsed, then not a control list" 1 "not a control list" -- -t csv "$work/d2048.json"
expect "JSON 2049 deep: jansson's fixed limit, said so" 1 "cannot be raised" -- -t csv "$work/d2049.json"

# (fuzz findings are replayed through their harnesses: ctest -R fuzz_replay)

# --- usage -------------------------------------------------------------------
expect "--help" 0 "" -- --help
grep -q 'usage: ctlconv' "$work/out" && ok "--help prints usage" || ko "--help prints usage"
expect "--version" 0 "" -- --version
expect "--list-formats" 0 "" -- --list-formats
grep -q '^text' "$work/out" && ok "--list-formats lists text" || ko "--list-formats lists text"
expect "unknown option" 2 "unknown option" -- --frobnicate
expect "unknown format" 2 "unknown output format" -- -t docx "$seed"
expect "no output format" 2 "give the output format" -- "$seed"
expect "output extension unknown" 2 "cannot tell the output format" -- -o "$work/x.unknown" "$seed"
expect "two inputs" 2 "one input at a time" -- -t csv "$seed" "$seed"
expect "--header bad" 2 "--header takes" -- --header fr -t csv "$seed"

# --- I/O and atomic output ---------------------------------------------------
expect "missing input" 3 "cannot open" -- -t csv "$work/does-not-exist.txt"
expect "input is a directory" 3 "is a directory" -- -t csv "$work"
expect "output directory missing" 3 "cannot create the output" -- -t csv -o "$work/no/such/dir.csv" "$seed"
echo "precious" >"$work/keep.csv"
expect "failed conversion" 1 "" -- -t csv -o "$work/keep.csv" "$work/prose.txt"
[ "$(cat "$work/keep.csv")" = precious ] && ok "failed conversion leaves the old file untouched" ||
    ko "failed conversion leaves the old file untouched"
[ -z "$(find "$work" -name '.keep.csv.*')" ] && ok "no temporary file left behind" || ko "no temporary file left behind"
echo old >"$work/private.csv"; chmod 600 "$work/private.csv"
"$bin" -q -t csv -o "$work/private.csv" "$seed" && [ "$(stat -c %a "$work/private.csv")" = 600 ] &&
    ok "an existing output keeps its mode (0600)" || ko "an existing output keeps its mode"
echo old >"$work/real.csv"; ln -s real.csv "$work/link.csv"
"$bin" -q -t csv -o "$work/link.csv" "$seed" && [ -L "$work/link.csv" ] && [ "$(wc -l <"$work/real.csv")" = 161 ] &&
    ok "a symbolic link is followed, not replaced" || ko "a symbolic link is followed, not replaced"
mkfifo "$work/fifo" && { wc -l <"$work/fifo" >"$work/fifo.count" & } && "$bin" -q -t csv -o "$work/fifo" "$seed"; wait
[ -p "$work/fifo" ] && [ "$(cat "$work/fifo.count")" = 161 ] && ok "a FIFO is written to, not replaced" ||
    ko "a FIFO is written to, not replaced"
expect "-o /dev/null" 0 "" -- -q -t csv -o /dev/null "$seed"
[ -c /dev/null ] && ok "/dev/null is still a device" || ko "/dev/null is still a device"
sed 's/^クラウドサービス提供における情報セキュリティ対策ガイドライン（第3版）$/[Draft] &/' "$seed" >"$work/bracket.txt"
expect "a text whose title starts with '[' is still text" 0 "" -- -q -t csv -o "$work/bracket.csv" "$work/bracket.txt"
expect "input too large" 1 "limit of 1024 bytes" -- --max-input-size 1K -t csv "$seed"
if [ -w /dev/full ]; then
    "$bin" -q -t csv "$seed" >/dev/full 2>"$work/err"; rc=$?
    [ $rc = 3 ] && ok "write to /dev/full is exit 3" || ko "write to /dev/full is exit 3" "exit $rc"
fi
# a closed pipe: its reading end is closed before ctlconv starts (SIGPIPE at
# its default in the child, as a shell leaves it): ended quietly by SIGPIPE,
# as cat is (tests/e2e_cli_options.sh has the rest)
/usr/bin/python3 - "$bin" "$seed" >"$work/pipe.out" 2>&1 <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], '-q', '-t', 'csv', sys.argv[2]], stdout=w, stderr=subprocess.PIPE)
print(p.returncode, p.stderr.decode().strip())
PY
[ "$(cat "$work/pipe.out")" = "-13 " ] && ok "closed pipe: ended by SIGPIPE, no message" ||
    ko "closed pipe: ended by SIGPIPE, no message" "$(cat "$work/pipe.out")"

finish
