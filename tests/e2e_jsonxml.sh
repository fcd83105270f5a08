#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end checks of the JSON and XML readers and writers for issue 10:
# libxml2's messages reach the user only as "ctlconv: FILE..." lines; the
# XML writer writes a cell over libxml2's 10 MB text-node cap in a form its
# reader (and any libxml2 without XML_PARSE_HUGE) takes back; JSON input is
# read in memory bounded by a small multiple of its size, and no input
# takes more than its limit to read.
#   tests/e2e_jsonxml.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
slow=1
grep -qa '__asan_init' "$bin" && slow=4
# ASan holds freed memory back (256 MB by default): not ctlconv's to count
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"

# only_ours NAME PATTERN FILE ARGS...: exit 1, stderr holds PATTERN, and
# every line of stderr is ctlconv's own ("ctlconv: FILE...")
only_ours() {
    local name=$1 pattern=$2 file=$3
    shift 3
    "$bin" "$@" -o "$work/out" "$file" >"$work/stdout" 2>"$work/err" </dev/null
    local rc=$?
    local why=
    [ "$rc" = 1 ] || why="exit $rc, expected 1"
    grep -q -- "$pattern" "$work/err" || why="$why; stderr lacks '$pattern'"
    grep -qv "^ctlconv: $file" "$work/err" && why="$why; a line not ctlconv's"
    if [ -z "$why" ]; then ok "$name"; else ko "$name" "${why#; }: $(cat "$work/err")"; fi
}

# --- libxml2's messages, in .xml ---------------------------------------------
H='<controlList xmlns="urn:ctlconv:list:1" version="1"><items><item id="II.1"><title>'
T='</title></item></items></controlList>'
printf '<?xml version="1.0" encoding="ISO-2022-JP"?>\n%s\033$B\377\377%s' "$H" "$T" >"$work/iso2022.xml"
printf '<?xml version="1.0" encoding="Shift_JIS"?>\n%sa\202\377b%s' "$H" "$T" >"$work/sjis.xml"
printf '<?xml version="1.0"?>\n%sa\377b%s' "$H" "$T" >"$work/badutf8.xml"
printf '<?xml version="1.0" encoding="bogus-enc"?>\n%sx%s' "$H" "$T" >"$work/bogus.xml"
printf '<?xml version="1.0" encoding="UTF-16"?>\n%sx%s' "$H" "$T" >"$work/utf16.xml"
printf '<?xml version="1.0"?>\n%sa\001b%s' "$H" "$T" >"$work/ctlchar.xml"
printf '<?xml version="1.0"?>\n%sa<b%s' "$H" "$T" >"$work/malformed.xml"
only_ours "XML: undecodable ISO-2022-JP" "iso2022.xml:2: malformed XML: input conversion failed" "$work/iso2022.xml" -t csv
only_ours "XML: undecodable Shift_JIS" "sjis.xml:2: malformed XML: input conversion failed" "$work/sjis.xml" -t csv
only_ours "XML: invalid UTF-8, on one line" "badutf8.xml:2: malformed XML: Input is not proper UTF-8, indicate encoding ! Bytes: 0xFF" "$work/badutf8.xml" -t csv
only_ours "XML: unknown encoding" "Unsupported encoding bogus-enc" "$work/bogus.xml" -t csv
only_ours "XML: UTF-16 declared, UTF-8 found" "malformed XML" "$work/utf16.xml" -t csv
only_ours "XML: a control character" "invalid Char value 1" "$work/ctlchar.xml" -t csv
only_ours "XML: malformed" "malformed XML" "$work/malformed.xml" -t csv

# --- libxml2's messages, inside .xlsx ---------------------------------------
/usr/bin/python3 - "$work" <<'PY'
import sys, zipfile
d = sys.argv[1]
CT = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
      'spreadsheetml.sheet.main+xml"/></Types>')
WB = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
      '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
ROWS = ('<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>title</t></is></c>'
        '</row><row r="2"><c r="A2" t="inlineStr"><is><t>II.1</t></is></c><c r="B2" t="inlineStr"><is><t>X</t>'
        '</is></c></row></sheetData></worksheet>')
def book(name, sheet, wb=WB.encode()):
    with zipfile.ZipFile(d + '/' + name, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', CT)
        z.writestr('xl/workbook.xml', wb)
        z.writestr('xl/_rels/workbook.xml.rels', RELS)
        z.writestr('xl/worksheets/sheet1.xml', sheet)
def decl(enc):
    return ('<?xml version="1.0"%s?>' % (' encoding="%s"' % enc if enc else '')).encode()
book('sjis.xlsx', decl('Shift_JIS') + HEAD + ROWS.replace('X', 'a\x82\xffb').encode('latin-1'))
book('badutf8.xlsx', decl('') + HEAD + ROWS.replace('X', 'a\xffb').encode('latin-1'))
book('bogus.xlsx', decl('bogus') + HEAD + ROWS.encode())
book('ctlchar.xlsx', decl('') + HEAD + ROWS.replace('X', 'a\x01b').encode())
book('badbook.xlsx', decl('') + HEAD + ROWS.encode(),
     wb=WB.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="ISO-2022-JP"?>')
         .replace('name="S"', 'name="\x1b$B\xff\xff"').encode('latin-1'))
PY
only_ours "XLSX: undecodable Shift_JIS sheet" "malformed XML in xl/worksheets/sheet1.xml" "$work/sjis.xlsx" -t csv
only_ours "XLSX: undecodable workbook part" "malformed XML in xl/workbook.xml" "$work/badbook.xlsx" -t csv
only_ours "XLSX: invalid UTF-8" "Input is not proper UTF-8" "$work/badutf8.xlsx" -t csv
only_ours "XLSX: unknown encoding" "Unsupported encoding bogus" "$work/bogus.xlsx" -t csv
only_ours "XLSX: a control character" "invalid Char value 1" "$work/ctlchar.xlsx" -t csv

# --- XML: cells around libxml2's 10,000,000-byte text node -------------------
# The title and an extra column hold N bytes (kana, a CR, a '<'); the list
# goes CSV -> XML -> JSON and must equal CSV -> JSON.
for n in 9999999 10000000 10000001 25000000; do
    /usr/bin/python3 -c "
import sys; n = int(sys.argv[1])
s = 'あ' * 1000 + '\r\n<&'; s += 'x' * (n - len(s.encode()))
assert len(s.encode()) == n
open(sys.argv[2], 'w', newline='').write('id,title,description,備考\nII.1,\"' + s + '\",d,\"' + s + '\"\n')" "$n" "$work/big.csv"
    if "$bin" -q -f csv -t json -o "$work/want.json" "$work/big.csv" &&
        "$bin" -q -f csv -t xml -o "$work/big.xml" "$work/big.csv" &&
        "$bin" -q -t json -o "$work/got.json" "$work/big.xml" && cmp -s "$work/want.json" "$work/got.json"; then
        ok "XML: a cell of $n bytes is read back as written"
    else
        ko "XML: a cell of $n bytes is read back as written"
    fi
    if command -v xmllint >/dev/null; then
        xmllint --noout "$work/big.xml" 2>"$work/lint" && ok "XML: xmllint (no --huge) reads the $n-byte cell" ||
            ko "XML: xmllint (no --huge) reads the $n-byte cell" "$(head -c 300 "$work/lint")"
    fi
done

# --- JSON: memory bounded by the input ---------------------------------------
# 20 MB of minimal items (the whole tree would be ~25 x that) reads in
# little more than the input; one 8 MB value of empty objects is refused by
# --limit json-memory before jansson holds ~700 MB.
/usr/bin/python3 -c "
import sys; n = 1300000
open(sys.argv[1], 'w').write('{\"items\": [' + '{\"id\": \"II.1\"}, ' * n + '{\"id\": \"II.2\"}]}')" "$work/small-items.json"
size_kb=$(( $(stat -c %s "$work/small-items.json") / 1024 ))
/usr/bin/time -f '%M' -o "$work/rss" "$bin" -q --limit items=2M -t jsonl -o "$work/small.jsonl" "$work/small-items.json"
rc=$? kb=$(tail -1 "$work/rss")
[ "$rc" = 0 ] && [ "$(wc -l <"$work/small.jsonl")" = 1300002 ] && [ "$kb" -le $(( (3 * size_kb + 32768) * slow )) ] &&
    ok "JSON: ${size_kb} KB of minimal items read in ${kb} KB" ||
    ko "JSON: ${size_kb} KB of minimal items read in ${kb} KB (exit $rc)"
/usr/bin/python3 -c "
import sys; n = 2700000
open(sys.argv[1], 'w').write('{\"items\": [{\"id\": \"II.1\", \"isms\": [' + '{}, ' * n + '{}]}]}')" "$work/nodes.json"
size_kb=$(( $(stat -c %s "$work/nodes.json") / 1024 ))
/usr/bin/time -f '%M' -o "$work/rss" "$bin" -t csv -o "$work/out.csv" "$work/nodes.json" 2>"$work/err"
rc=$? kb=$(tail -1 "$work/rss")
[ "$rc" = 1 ] && grep -q 'raise it with --limit json-memory=N' "$work/err" && [ "$kb" -le $(( (4 * size_kb + 32768) * slow )) ] &&
    ok "JSON: ${size_kb} KB of empty objects in one item refused in ${kb} KB" ||
    ko "JSON: ${size_kb} KB of empty objects in one item refused in ${kb} KB (exit $rc)" "$(cat "$work/err")"
"$bin" --limit json-memory=1G -t csv -o "$work/out.csv" "$work/nodes.json" 2>"$work/err"
[ $? = 1 ] && grep -q "not an ISMS reference" "$work/err" && ok "JSON: --limit json-memory raises the bound" ||
    ko "JSON: --limit json-memory raises the bound" "$(cat "$work/err")"

# reading an endless input stops at the input limit, not at twice it
/usr/bin/time -f '%M' -o "$work/rss" "$bin" --limit input-size=64M -f json -t csv -o "$work/out.csv" /dev/zero 2>"$work/err"
rc=$? kb=$(tail -1 "$work/rss")
[ "$rc" = 1 ] && grep -q 'larger than the limit of 67108864 bytes' "$work/err" && [ "$kb" -le $(( (65536 + 16384) * slow )) ] &&
    ok "/dev/zero stops at --limit input-size=64M in ${kb} KB" ||
    ko "/dev/zero stops at --limit input-size=64M in ${kb} KB (exit $rc)" "$(cat "$work/err")"

finish
