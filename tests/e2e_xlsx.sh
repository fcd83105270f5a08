#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of the XLSX format on text XML cannot carry and on
# failed writes (issue 10, items 7, 8, 9 and 14), and on number formats,
# formulas and booleans read from real producers' workbooks.
#   tests/e2e_xlsx.sh PATH/TO/ctlconv        (run from the project root)
# Prints one line per check and a closing "N passed, N failed" line.
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt

# Every part of a workbook parses with expat; prints the bad ones.
cat >"$work/parts.py" <<'PY'
import sys, zipfile, xml.dom.minidom
bad = []
for name in zipfile.ZipFile(sys.argv[1]).namelist():
    if name.endswith(('.xml', '.rels')):
        try:
            xml.dom.minidom.parseString(zipfile.ZipFile(sys.argv[1]).read(name))
        except Exception as e:
            bad.append('%s: %s' % (name, e))
print('\n'.join(bad))
sys.exit(1 if bad else 0)
PY

# --- a list with text XML cannot carry as itself ------------------------------
/usr/bin/python3 - "$work/odd.json" <<'PY'
import json, sys
items = [{"id": "II.1", "label": "II. 1.", "level": 1, "isms": [], "title": "U+FFFE \ufffe U+FFFF \uffff 😀",
          "description": "controls \u0001\u0008\u000b\u001f and\r\nlines", "category": None,
          "answer": "text _x0041_ _xD83D__xDE00_ _x0000_ " + "_x" * 500},
         {"id": "II.1.1", "label": "II. 1. 1.", "level": 2, "isms": [], "title": "\uffff", "description": "",
          "category": None, "answer": ""}]
json.dump({"format": "ctlconv-list", "version": 1, "title": "A title\u0001 with a control character",
           "note": "a note\u0002", "annex": "ANNEX\uffff", "columns": [], "items": items},
          open(sys.argv[1], 'w'), ensure_ascii=False)
PY
"$bin" -o "$work/odd.xlsx" "$work/odd.json" 2>"$work/err"; rc=$?
[ "$rc" = 0 ] && grep -q "warning: the title is left out of the workbook's document properties: it holds U+0001" "$work/err" &&
    ok "control character in the title: written, with a warning" || ko "control character in the title: written, with a warning" "exit $rc: $(cat "$work/err")"
/usr/bin/python3 "$work/parts.py" "$work/odd.xlsx" >"$work/bad" && ok "every part of the workbook is well-formed XML" ||
    ko "every part of the workbook is well-formed XML" "$(cat "$work/bad")"
/usr/bin/python3 - "$work/odd.xlsx" >"$work/py.out" 2>&1 <<'PY' && ok "openpyxl opens it, with the same text" || ko "openpyxl opens it, with the same text" "$(tail -3 "$work/py.out")"
import re, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
# openpyxl leaves the _xHHHH_ escapes of inline strings as they are: decode them as Excel does
def shown(v): return re.sub('_x([0-9A-Fa-f]{4})_', lambda m: chr(int(m.group(1), 16)), v)
assert wb.properties.title is None, wb.properties.title
assert shown(ws['A1'].value) == 'A title\x01 with a control character', repr(ws['A1'].value)
assert ws.title == 'ANNEX', ws.title
# model v2 columns: id, level, parent, isms, title (E), description, category, answer (H)
assert shown(ws['E6'].value) == 'U+FFFE \ufffe U+FFFF \uffff 😀', repr(ws['E6'].value)
assert shown(ws['H6'].value).startswith('text _x0041_ _xD83D__xDE00_ _x0000_ _x_x'), repr(ws['H6'].value[:60])
PY
"$bin" -q -t json -o "$work/back.json" "$work/odd.xlsx" &&
    /usr/bin/python3 -c "
import json, sys
a, b = (json.load(open(f, encoding='utf-8')) for f in sys.argv[1:3])
for k in ('title', 'note', 'annex'): assert a[k] == b[k], (k, a[k], b[k])
for x, y in zip(a['items'], b['items']):
    for k in ('title', 'description', 'answer'): assert x[k] == y[k], (k, x[k][:40], y[k][:40])
" "$work/odd.json" "$work/back.json" 2>"$work/py.err" && ok "JSON -> XLSX -> JSON gives the same text" ||
    ko "JSON -> XLSX -> JSON gives the same text" "$(tail -3 "$work/py.err")"

# --- escapes that are no character, read ---------------------------------------
/usr/bin/python3 - "$work/esc.xlsx" <<'PY'
import sys, zipfile
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
def c(ref, t): return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, t)
sheet = ('<?xml version="1.0"?><worksheet %s><sheetData><row r="1">%s</row><row r="2">%s</row></sheetData></worksheet>'
         % (NS, c('A1', 'id') + c('B1', 'title') + c('C1', 'description'),
            c('A2', 'II.1') + c('B2', 'emoji _xD83D__xDE00_ nul _x0000_ end') + c('C2', 'lone _xd800_')))
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook %s xmlns:r="http://schemas.openxmlformats.org/'
               'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>' % NS)
    z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
               'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
               '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr('xl/worksheets/sheet1.xml', sheet)
PY
"$bin" -t csv -o "$work/esc.csv" "$work/esc.xlsx" 2>"$work/err"; rc=$?
[ "$rc" = 0 ] && grep -q 'esc.xlsx\[S\]:2: warning: row 2, column B (title): kept _x0000_ as text' "$work/err" &&
    grep -q 'row 2, column C (description): kept _xd800_ as text' "$work/err" && iconv -f UTF-8 -t UTF-8 "$work/esc.csv" >/dev/null &&
    grep -q "emoji 😀 nul _x0000_ end" "$work/esc.csv" && grep -q "lone _xd800_" "$work/esc.csv" &&
    ok "escaped surrogates paired, _x0000_ and a lone surrogate kept as text with a warning" ||
    ko "escaped surrogates paired, _x0000_ and a lone surrogate kept as text with a warning" "exit $rc: $(cat "$work/err" "$work/esc.csv")"

# --- Excel's cell limit, in UTF-16 units ---------------------------------------
/usr/bin/python3 -c "
import sys
print('id,title,category')
print('II.1,' + '😀' * 10 + 'a' * (32767 - 19) + ',基本')" >"$work/long.csv"
"$bin" -o "$work/long.xlsx" "$work/long.csv" 2>"$work/err"; rc=$?
[ "$rc" = 1 ] && grep -q 'a cell longer than the 32,767 characters Excel allows (32768 UTF-16 units' "$work/err" &&
    [ ! -e "$work/long.xlsx" ] && ok "a cell of 32,768 UTF-16 units (32,758 characters) is refused" ||
    ko "a cell of 32,768 UTF-16 units (32,758 characters) is refused" "exit $rc: $(cat "$work/err")"

# --- libxlsxwriter's failures: only ctlconv's messages, exit 3, nothing left --------
# A file size limit (ctlconv ignores SIGXFSZ: writes fail with EFBIG) placed below
# the zip (libxlsxwriter prints its zip error itself) and below the sheet
# part (libxlsxwriter cuts its temporary file short and says nothing).
# only_ours NAME [pending]: exit 3, every line of stderr is ctlconv's, no
# output, no temporary file.  With "pending", a line of libxlsxwriter's is
# reported as PENDING, not FAIL: the library no longer hides what
# libxlsxwriter prints (it must not swap the process's stderr), and the
# CLI's capture of library output, on its own branch, is what rewords it.
only_ours() {
    if [ "$rc" != 3 ]; then ko "$1" "exit $rc, expected 3: $(cat "$work/err")"
    elif grep -qv '^ctlconv: ' "$work/err" && [ "${2:-}" = pending ]; then
        echo "PENDING $1 (the CLI's capture of library stderr): $(grep -v '^ctlconv: ' "$work/err" | head -1)"
    elif grep -qv '^ctlconv: ' "$work/err"; then ko "$1" "$(cat "$work/err")"
    elif [ -n "$(find "$work/out" "$work/tmp" -mindepth 1)" ]; then ko "$1" "left $(find "$work/out" "$work/tmp" -mindepth 1)"
    else ok "$1"; fi
}
/usr/bin/python3 -c "
import random; r = random.Random(7)
print('id,title,category'); print('II.1,' + ''.join(r.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(6000)) + ',基本')" >"$work/rnd.csv"
"$bin" -q -o "$work/rnd.xlsx" "$work/rnd.csv" && "$bin" -q -o "$work/seed.xlsx" "$seed" || ko "writing the reference workbooks"
sizes() {   # the zip's size and its largest part's, in bytes
    /usr/bin/python3 -c "import os, sys, zipfile; print(os.path.getsize(sys.argv[1]), max(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))" "$1"
}
read -r zip part < <(sizes "$work/rnd.xlsx")
mkdir -p "$work/out" "$work/tmp"
blocks=$((zip / 1024))   # ulimit -f counts 1024-byte blocks
if [ $((blocks * 1024)) -ge "$part" ]; then
    (ulimit -f "$blocks"; TMPDIR=$work/tmp exec "$bin" -o "$work/out/rnd.xlsx" "$work/rnd.csv") 2>"$work/err"; rc=$?
    only_ours "the zip cannot be written: exit 3, libxlsxwriter's message in ctlconv's"
    grep -q 'cannot write the workbook (File too large)' "$work/err" || ko "libxlsxwriter's system error is told" "$(cat "$work/err")"
else
    ko "file size limit between the largest part ($part) and the zip ($zip)"
fi
read -r zip part < <(sizes "$work/seed.xlsx")
for k in 0 1 2 3; do
    blocks=$((part / 1024 - k))
    (ulimit -f "$blocks"; TMPDIR=$work/tmp exec "$bin" -o "$work/out/seed.xlsx" "$seed") 2>"$work/err"; rc=$?
    only_ours "a sheet of $part bytes under a limit of $((blocks * 1024)): exit 3, not a damaged workbook"
done

# The library never assigns the process's stderr (it did, to hide what
# libxlsxwriter prints: another thread's output went into a memory stream).
if found=$(grep -nE '(^|[^_[:alnum:]])stderr[[:space:]]*=[^=]' formats/*.c converters/*.c | grep -v '^converters/main\.c:'); then
    ko "the library does not assign stderr" "$found"
else
    ok "the library does not assign stderr"
fi

# --- number formats, formulas, booleans (review of issue 10) -------------------
# (model v2: these sheets have no level column and nothing holds II.1.1.x: level 1)
d=tests/data
"$bin" -t csv -o "$work/lo.csv" "$d/libreoffice-formats.xlsx" 2>"$work/err"; rc=$?
[ "$rc" = 0 ] && [ ! -s "$work/err" ] && grep -qx 'II.1.1.1,1,,,a,b,,,2024-03-15,12.50%' "$work/lo.csv" &&
    grep -qx 'II.1.1.2,1,,,c,d,,,2023-01-02,1.1' "$work/lo.csv" && grep -qx 'II.1.1.3,1,,,e,f,,,1900-01-02,7.00%' "$work/lo.csv" &&
    ok "LibreOffice's dates read as ISO dates, its percentages as shown (0.00%), General numbers as they are" ||
    ko "LibreOffice's dates read as ISO dates, its percentages as shown (0.00%), General numbers as they are" "exit $rc: $(cat "$work/err" "$work/lo.csv")"
"$bin" -t csv -o "$work/op.csv" "$d/openpyxl-formats.xlsx" 2>"$work/err"; rc=$?
[ "$rc" = 0 ] && grep -qx 'II.1.1.1,1,,,a,b,,,2024-03-15,2024-03-15T13:45:30,06:30:00,12.5%,1234.5,0.5,42' "$work/op.csv" &&
    grep -qx 'II.1.1.2,1,,,,d,,,1900-03-01,1904-01-02T00:00:01,23:59:59,100.0%,-3,0.25,7' "$work/op.csv" &&
    ok "openpyxl's formats: dates (brackets, quoted text), date-times, times, 0.0%; currency and fractions keep the number" ||
    ko "openpyxl's formats: dates (brackets, quoted text), date-times, times, 0.0%; currency and fractions keep the number" "exit $rc: $(cat "$work/err" "$work/op.csv")"
[ "$(grep -c 'number-format-ignored' "$work/err")" = 2 ] &&
    grep -q "row 2, column H (price): number format '\"\$\"#,##0.00' not applied" "$work/err" &&
    grep -q "row 2, column I (part): number format built-in 12 not applied" "$work/err" &&
    ok "a format ctlconv does not apply is said once a column, by its code" ||
    ko "a format ctlconv does not apply is said once a column, by its code" "$(cat "$work/err")"
grep -q 'openpyxl-formats.xlsx\[Sheet\]:3: warning: row 3, column B (title): a formula with no saved value, read as empty .*open and save the workbook in Excel or LibreOffice first \[formula-unevaluated\]' "$work/err" &&
    ok "openpyxl's formula (an empty <v>) is said, not read as an empty cell in silence" ||
    ko "openpyxl's formula (an empty <v>) is said, not read as an empty cell in silence" "$(cat "$work/err")"
"$bin" -q --strict -t csv -o "$work/strict.csv" "$d/openpyxl-formats.xlsx" 2>/dev/null; rc=$?
[ "$rc" = 1 ] && ok "--strict refuses a workbook with an unevaluated formula" || ko "--strict refuses a workbook with an unevaluated formula" "exit $rc"
"$bin" -t csv -o "$work/1904.csv" "$d/openpyxl-1904.xlsx" 2>"$work/err"; rc=$?
[ "$rc" = 0 ] && grep -qx 'II.1.1.1,1,,,a,b,,,2024-03-15,2024-03-15T13:45:30,06:30:00,12.5%,1234.5,0.5,42' "$work/1904.csv" &&
    grep -q '^II.1.1.2,1,,,,d,,,-1401,1904-01-02T00:00:01,' "$work/1904.csv" &&
    grep -q 'row 3, column D (date): -1401 is no date Excel shows' "$work/err" &&
    ok "the 1904 date system; a serial before its first day keeps the number, with a warning" ||
    ko "the 1904 date system; a serial before its first day keeps the number, with a warning" "exit $rc: $(cat "$work/err" "$work/1904.csv")"
# hand-made: a formula without <v> (t="str"), a formula with a saved value, a boolean that is no 0/1
/usr/bin/python3 - "$work" <<'PY'
import sys, zipfile
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
def c(ref, t): return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, t)
def book(path, row2):
    sheet = ('<?xml version="1.0"?><worksheet %s><sheetData><row r="1">%s</row><row r="2">%s</row></sheetData></worksheet>'
             % (NS, c('A1', 'id') + c('B1', 'title') + c('C1', 'description') + c('D1', 'answer'), row2))
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook %s xmlns:r="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>' % NS)
        z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr('xl/worksheets/sheet1.xml', sheet)
book(sys.argv[1] + '/f.xlsx', c('A2', 'II.1') + '<c r="B2" t="str"><f>"Ti"&amp;"tle"</f></c><c r="C2" t="str"><f>B2</f><v>cached</v></c><c r="D2" t="b"><v>1</v></c>')
book(sys.argv[1] + '/b.xlsx', c('A2', 'II.1') + c('B2', 't') + '<c r="D2" t="b"><v>2</v></c>')
PY
"$bin" -t csv -o "$work/f.csv" "$work/f.xlsx" 2>"$work/err"; rc=$?
[ "$rc" = 0 ] && grep -qx 'II.1,1,,,,cached,,TRUE' "$work/f.csv" && [ "$(grep -c . "$work/err")" = 1 ] &&
    grep -q 'f.xlsx\[S\]:2: warning: row 2, column B (title): a formula with no saved value' "$work/err" &&
    ok "a formula without <v> is said (the cell stays empty); one with a saved value reads it, silently" ||
    ko "a formula without <v> is said (the cell stays empty); one with a saved value reads it, silently" "exit $rc: $(cat "$work/err" "$work/f.csv")"
"$bin" -t csv -o "$work/b.csv" "$work/b.xlsx" 2>"$work/err"; rc=$?
[ "$rc" = 1 ] && grep -q "b.xlsx\[S\]:2: row 2, column D (answer): a boolean cell holding '2', not 0 or 1 \[corrupt-workbook\]" "$work/err" &&
    [ ! -e "$work/b.csv" ] && ok "a boolean cell that is no 0 or 1: an error naming row and column" ||
    ko "a boolean cell that is no 0 or 1: an error naming row and column" "exit $rc: $(cat "$work/err")"
# ctlconv's own workbooks have no number formats: they read back unchanged
"$bin" -q -t csv -o "$work/seed.csv" "$seed" && "$bin" -q -o "$work/own.xlsx" "$seed" &&
    "$bin" -t csv -o "$work/own.csv" "$work/own.xlsx" 2>"$work/err" && ! grep -v title-dropped "$work/err" && cmp -s "$work/seed.csv" "$work/own.csv" &&
    ok "ctlconv's own XLSX of the seed reads back byte-identical, without a reading warning" ||
    ko "ctlconv's own XLSX of the seed reads back byte-identical, without a reading warning" "$(cat "$work/err"; diff "$work/seed.csv" "$work/own.csv" | head -5)"

finish
