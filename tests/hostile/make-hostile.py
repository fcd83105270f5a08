#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes the hostile inputs of tests/hostile/ (rerun from this folder).

Each is an attack or a broken file a stranger could send; `cases` says what
ctlconv must answer.  Only the 100 MB single field is not kept here: the
runner (tests/hostile.sh) writes it when it runs.  random.bin is 64 KiB from
os.urandom, made once and kept as made (rerunning changes it)."""
import os, zipfile

def put(name, data):
    with open(name, 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode('utf-8'))

# --- XML --------------------------------------------------------------------
put('xxe.xml', '<?xml version="1.0"?>\n'
    '<!DOCTYPE controlList [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    '<controlList xmlns="urn:ctlconv:list:1" version="1"><title>&secret;</title><note/><annex/><columns/>\n'
    '<items><item id="II.1" level="1"><label/><title>&secret;</title><description/><answer/></item></items>'
    '<unplaced/></controlList>\n')
ents = '<!ENTITY a0 "lol">' + ''.join('<!ENTITY a%d "%s">' % (i, ('&a%d;' % (i - 1)) * 10) for i in range(1, 10))
put('entity-bomb.xml', '<?xml version="1.0"?><!DOCTYPE controlList [' + ents + ']>'
    '<controlList xmlns="urn:ctlconv:list:1" version="1"><title>&a9;</title></controlList>\n')
d = 100000
put('deep.xml', '<controlList xmlns="urn:ctlconv:list:1" version="1"><items><item id="II.1" level="1"><title>'
    + '<x>' * d + '</x>' * d + '</title></item></items></controlList>\n')

# --- XLSX -------------------------------------------------------------------
CT = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
      'spreadsheetml.sheet.main+xml"/></Types>')
WB = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
      '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
HEAD = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
FIXED = (1980, 1, 1, 0, 0, 0)   # the same bytes on every run

def book(name, sheet):
    with zipfile.ZipFile(name, 'w', zipfile.ZIP_DEFLATED) as z:
        for part, data in (('[Content_Types].xml', CT), ('xl/workbook.xml', WB), ('xl/_rels/workbook.xml.rels', RELS)):
            z.writestr(zipfile.ZipInfo(part, FIXED), data, zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo('xl/worksheets/sheet1.xml', FIXED)
        info.compress_type = zipfile.ZIP_DEFLATED
        if isinstance(sheet, str):
            z.writestr(info, sheet)
        else:
            with z.open(info, 'w', force_zip64=True) as f:
                sheet(f)

def bomb(f):   # 300 MiB of white space inside sheetData: ~1,000 times its compressed size
    f.write(HEAD.encode())
    chunk = b' ' * (1 << 20)
    for _ in range(300):
        f.write(chunk)
    f.write(b'</sheetData></worksheet>')

book('zip-bomb.xlsx', bomb)
book('xxe.xlsx', '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
     '<c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>')
book('sst-out-of-range.xlsx', HEAD + '<row r="1"><c r="A1" t="s"><v>5</v></c></row></sheetData></worksheet>')
book('malformed-sheet.xlsx', HEAD + '<row r="1"><c r="A1"></row></sheetData></worksheet>')
whole = open('../data/openpyxl.xlsx', 'rb').read()
put('truncated.xlsx', whole[:12000])

# Shapes that cost far more than their size (they end in an error, after the work):
# 100,000 merged ranges over 100,000 rows, and a shared string out of range at the end
def merges_rows(f):
    f.write((HEAD + '<row r="1">' + ''.join('<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (c, w)
             for c, w in zip('ABCDE', ('id', 'title', 'description', 'category', 'answer'))) + '</row>').encode())
    for r in range(2, 100002):
        f.write(b'<row r="%d"/>' % r)
    f.write(b'<row r="100002"><c r="A100002" t="s"><v>5</v></c></row></sheetData><mergeCells count="100000">')
    for r in range(2, 100002):
        f.write(b'<mergeCell ref="B%d:C%d"/>' % (r, r))
    f.write(b'</mergeCells></worksheet>')
book('merges-rows.xlsx', merges_rows)
# 4,000 columns merged down 100,000 rows of one cell each (every row got 4,000 copies: 400
# million in all, bounded only by the zip limits; now refused by the sheet's own size)
def col_letters(c):
    s = ''
    c += 1
    while c:
        c, k = divmod(c - 1, 26)
        s = chr(65 + k) + s
    return s
def column_merges(f, rows):
    n = 4000
    f.write((HEAD + '<row r="1">' + ''.join('<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (col_letters(c), w)
             for c, w in enumerate(['id', 'title', 'category'] + ['x%d' % i for i in range(3, n)])) + '</row>').encode())
    f.write(('<row r="2">' + ''.join('<c r="%s2" t="inlineStr"><is><t>v</t></is></c>' % col_letters(c)
             for c in range(3, n)) + '</row>').encode())
    rows(f)
    f.write(b'</sheetData><mergeCells>')
    for c in range(3, n):
        f.write(b'<mergeCell ref="%s2:%s1000000"/>' % ((col_letters(c).encode(),) * 2))
    f.write(b'</mergeCells></worksheet>')
book('column-merges.xlsx', lambda f: column_merges(f, lambda f: f.write(b''.join(
    b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>II.1.1.%d</t></is></c></row>' % (r, r, r) for r in range(3, 100003)))))
# the same merges over 400,000 row elements without text, then a bad shared string: rows
# without text of their own stay blank, at no cost
book('column-merges-empty-rows.xlsx', lambda f: column_merges(f, lambda f: f.write(b''.join(
    b'<row r="%d"/>' % r for r in range(3, 400003)) + b'<row r="400003"><c r="A400003" t="s"><v>5</v></c></row>')))
# 300 sheets of the workbook point to one part of 100,000 blank rows (26 MB, 95 times its
# compressed size: under the zip limits)
with zipfile.ZipFile('shared-part.xlsx', 'w', zipfile.ZIP_DEFLATED) as z:
    wb = WB.replace('<sheet name="S" sheetId="1" r:id="rId1"/>',
                    ''.join('<sheet name="S%d" sheetId="%d" r:id="rId1"/>' % (i, i) for i in range(1, 301)))
    for part, data in (('[Content_Types].xml', CT), ('xl/workbook.xml', wb), ('xl/_rels/workbook.xml.rels', RELS),
                       ('xl/worksheets/sheet1.xml', HEAD + ''.join('<row r="%d"/>' % r + ' ' * 250 for r in range(1, 100001))
                        + '</sheetData></worksheet>')):
        z.writestr(zipfile.ZipInfo(part, FIXED), data, zipfile.ZIP_DEFLATED)
# a title of 800,000 "_x" for the XLSX writer (whose escaping was quadratic), then too long for a cell
book('x-run.xlsx', HEAD + '<row r="1">' + ''.join('<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (c, w)
     for c, w in zip('ABC', ('id', 'title', 'category'))) + '</row><row r="2">'
     '<c r="A2" t="inlineStr"><is><t>II.1</t></is></c><c r="B2" t="inlineStr"><is><t>' + '_x' * 800000 +
     '</t></is></c><c r="C2" t="inlineStr"><is><t>基本</t></is></c></row></sheetData></worksheet>')

# --- JSON -------------------------------------------------------------------
put('deep.json', '[' * 100000 + ']' * 100000 + '\n')
put('duplicate-keys.json', '{"items": [{"id": "II.1", "id": "II.2"}]}\n')
put('invalid-utf8.json', b'{"items": [{"id": "II.1", "title": "\xff"}]}\n')
put('broken.jsonl', '{"format": "ctlconv-list", "version": 1}\n{"id": "II.1"}\n{"id": "II.2", oops}\n')

# --- CSV and text -----------------------------------------------------------
put('unterminated-quote.csv', 'id,title,category\nII.1,"never closed,基本\nII.2,x,基本\n')
put('ragged-rows.csv', 'id,title,category\nII.1,a,基本\nII.2,b,基本,extra\n')
put('invalid-utf8.csv', b'id,title,category\nII.1,\x82\xa0\xff,\xe5\x9f\xba\xe6\x9c\xac\n')
put('invalid-bytes.txt', b'T\n\nII. 1. 1. 1\tt\td\t\x82\xa0\xff\n')
put('empty.txt', b'')
if not os.path.exists('random.bin'):
    put('random.bin', os.urandom(65536))

# --- YAML (CISO Assistant libraries) -------------------------------------------
LIB = 'urn: urn:x:risk:library:t\nobjects:\n  framework:\n    urn: urn:x:risk:framework:t\n'
# a billion laughs: 10^10 expansions in 500 bytes
put('yaml-alias-bomb.yaml', LIB + '    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n' + ''.join(
    '    %s: &%s [%s]\n' % (c, c, ', '.join(['*' + chr(ord(c) - 1)] * 10)) for c in 'bcdefghij'))
put('yaml-deep.yaml', LIB + '    requirement_nodes: ' + '[' * 100000 + ']' * 100000 + '\n')
put('yaml-python-tag.yaml', LIB + '    requirement_nodes:\n    - !!python/object/apply:os.system [id]\n')
put('yaml-invalid-utf8.yaml', LIB.encode() + b'    name: "\xff"\n')
put('yaml-duplicate-keys.yaml', LIB + '    requirement_nodes: []\n    requirement_nodes: []\n')
