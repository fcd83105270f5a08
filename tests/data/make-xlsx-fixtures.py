#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Makes the XLSX fixtures from real producers.  Needs LibreOffice
(libreoffice-calc-nogui) and openpyxl (python3-openpyxl) from Debian; run with
/usr/bin/python3 from this folder.  The outputs are committed.

  libreoffice-shared-strings.xlsx  excel-csv-utf8-bom.csv opened and saved by
                                   LibreOffice Calc (soffice --convert-to xlsx):
                                   shared strings, LibreOffice's own styles
  openpyxl.xlsx                    written by openpyxl cell by cell
  furigana.xlsx                    libreoffice-shared-strings.xlsx with phonetic
                                   runs (<rPh>, <phoneticPr>) added to every
                                   shared string that holds kanji, as Excel
                                   writes them for typed Japanese (no Debian tool
                                   writes <rPh>, so they are added by this script)
  offices-layout.xlsx              openpyxl: a cover sheet first, then the list
                                   with the title, note and annex heading above
                                   the header, section and subsection rows merged
                                   across the title..answer columns, and each run
                                   of equal categories merged vertically
  libreoffice-formats.xlsx         a CSV with dates and percentages opened by
                                   LibreOffice Calc, types detected: date and
                                   0.00% number formats in styles.xml
  openpyxl-formats.xlsx            openpyxl: number_format set on cells (dates
                                   with brackets and quoted text, date-times,
                                   times, 0.0%, currency, a fraction, text) and
                                   a formula saved without a value
  openpyxl-1904.xlsx               the same in the 1904 date system
"""
import csv, os, re, shutil, subprocess, tempfile, zipfile
import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill

here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.DictReader(open(os.path.join(here, 'seed-expected.csv'), encoding='utf-8', newline='')))
seed = open(os.path.join(here, '../../samples/mic-cloud-guideline-v3-annex2-provider.txt'), encoding='utf-8').read()
pre = [l for l in seed.split('\n')[:8] if l.strip()]
title, note, annex = pre[0], pre[1], pre[2]
header = ['ISMS 管理策', '項番', '対策項目', '対策内容', '区分', '公開回答']


def label(id_, level):
    parts = id_.split('.')
    return parts[0] + '. ' + '. '.join(parts[1:]) + ('.' if level < 3 else '')


# 1. LibreOffice, shared strings
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, 'libreoffice-shared-strings.csv')
    shutil.copy(os.path.join(here, 'excel-csv-utf8-bom.csv'), src)
    # 44 = comma, 34 = quote, 76 = UTF-8, 1 = first line; column types all text (2)
    subprocess.run(['soffice', '--headless', '--infilter=CSV:44,34,76,1,1/2/2/2/3/2/4/2/5/2/6/2',
                    '--convert-to', 'xlsx', '--outdir', tmp, src], check=True, capture_output=True)
    shutil.copy(os.path.join(tmp, 'libreoffice-shared-strings.xlsx'), here)

# 2. openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '対策一覧'
ws.append(header)
for r in rows:
    ws.append([r['isms'] or None, r['id'], r['title'], r['description'] or None, r['category'] or None,
               r['answer'] or None])
wb.save(os.path.join(here, 'openpyxl.xlsx'))

# 3. furigana: phonetic runs added to LibreOffice's shared strings
READING = 'フリガナ'
src = os.path.join(here, 'libreoffice-shared-strings.xlsx')
dst = os.path.join(here, 'furigana.xlsx')
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == 'xl/sharedStrings.xml':
            text = data.decode('utf-8')

            def add_runs(m):
                body = m.group(1)
                if not re.search(r'[\u4e00-\u9fff]', body):
                    return m.group(0)
                return ('<si>' + body + '<rPh sb="0" eb="1"><t>' + READING + '</t></rPh>'
                        '<phoneticPr fontId="1" type="noConversion"/></si>')
            text = re.sub(r'<si>(.*?)</si>', add_runs, text, flags=re.S)
            data = text.encode('utf-8')
        zout.writestr(item, data)

# 4. an office's layout: cover sheet, title rows, merged sections and categories
wb = openpyxl.Workbook()
cover = wb.active
cover.title = '表紙'
cover['A1'] = title
cover['A3'] = '提出日: 2024年4月1日'
ws = wb.create_sheet('ANNEX2')
ws['A1'] = title
ws['A1'].font = Font(bold=True, size=14)
ws['A2'] = note
ws['A3'] = annex
top = 5
for c, h in enumerate(header, 1):
    ws.cell(top, c, h).font = Font(bold=True)
r0 = top + 1
run_start = None
for i, r in enumerate(rows):
    n = r0 + i
    ws.cell(n, 1, r['isms'] or None)
    ws.cell(n, 2, label(r['id'], int(r['level'])))
    ws.cell(n, 3, r['title'])
    if r['level'] != '3':
        ws.merge_cells(start_row=n, start_column=3, end_row=n, end_column=6)
        ws.cell(n, 3).fill = PatternFill('solid', fgColor='DDEBF7')
        continue
    ws.cell(n, 4, r['description']).alignment = Alignment(wrap_text=True)
    ws.cell(n, 6, r['answer'])
    # categories: merge each run of equal values vertically
    same_as_above = i > 0 and rows[i - 1]['level'] == '3' and rows[i - 1]['category'] == r['category']
    if not same_as_above:
        ws.cell(n, 5, r['category'])
        run_start = n
    nxt = rows[i + 1] if i + 1 < len(rows) else None
    if not (nxt and nxt['level'] == '3' and nxt['category'] == r['category']) and n > run_start:
        ws.merge_cells(start_row=run_start, start_column=5, end_row=n, end_column=5)
wb.save(os.path.join(here, 'offices-layout.xlsx'))

# 5. LibreOffice: a CSV with a date and a percentage column, types detected
#    on import (standard detection): a date format and 0.00%
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, 'libreoffice-formats.csv')
    with open(src, 'w', encoding='utf-8', newline='') as f:
        f.write('id,title,description,reviewed,ratio\n'
                'II.1.1.1,a,b,2024-03-15,12.5%\n'
                'II.1.1.2,c,d,2023-01-02,1.10\n'
                'II.1.1.3,e,f,1900-01-01,7%\n')
    subprocess.run(['soffice', '--headless', '--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx',
                    '--outdir', tmp, src], check=True, capture_output=True)
    shutil.copy(os.path.join(tmp, 'libreoffice-formats.xlsx'), here)

# 6. openpyxl: number_format set on cells, and a formula (openpyxl saves no
#    value for it); 7. the same dates in the 1904 date system
import datetime
from openpyxl.utils.datetime import CALENDAR_MAC_1904


def formats_book(path, epoch=None):
    wb = openpyxl.Workbook()
    if epoch:
        wb.epoch = epoch
    ws = wb.active
    ws.append(['id', 'title', 'description', 'date', 'when', 'time', 'share', 'price', 'part', 'code'])
    cells = [
        ('II.1.1.1', 'a', 'b', datetime.date(2024, 3, 15), datetime.datetime(2024, 3, 15, 13, 45, 30),
         datetime.time(6, 30), 0.125, 1234.5, 0.5, 42),
        ('II.1.1.2', 'c', 'd', datetime.date(1900, 3, 1), datetime.datetime(1904, 1, 2, 0, 0, 1),
         datetime.time(23, 59, 59), 1, -3, 0.25, 7),
    ]
    for r in cells:
        ws.append(r)
    for row in ws.iter_rows(min_row=2):
        row[3].number_format = '[Red]yyyy"d"mm\\-dd'   # brackets, a quoted "d", an escape
        row[4].number_format = 'yyyy-mm-dd hh:mm:ss'
        row[5].number_format = 'h:mm AM/PM'
        row[6].number_format = '0.0%'
        row[7].number_format = '"$"#,##0.00'            # currency: kept, with a warning
        row[8].number_format = '# ?/?'                  # a fraction: kept, with a warning
        row[9].number_format = '@'
    ws['B3'] = '="Ti"&"tle"'                             # no cached value
    wb.save(path)


formats_book(os.path.join(here, 'openpyxl-formats.xlsx'))
formats_book(os.path.join(here, 'openpyxl-1904.xlsx'), CALENDAR_MAC_1904)
