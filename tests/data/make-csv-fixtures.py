#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Makes the CSV/TSV fixtures in the shapes offices send, from the hand-read
list (seed-expected.csv) and the seed's own title lines.  Written with
Python's csv module using the conventions of each producer named below;
the outputs are committed, so the tests do not depend on this script.

  offices-cp932-crlf.csv   Excel "CSV (コンマ区切り)" on Japanese Windows: CP932,
                           CRLF records, LF inside quoted cells (Alt+Enter),
                           Japanese headers in another column order, measures
                           that were bullet lists kept as lines in one cell
  excel-csv-utf8-bom.csv   Excel "CSV UTF-8": BOM, CRLF, Japanese headers
  title-rows.csv           a title, a note and the annex heading above the
                           header, as offices lay out their sheets (UTF-8)
  excel-unicode-text.tsv   Excel "Unicode テキスト": UTF-16LE with BOM, tabs, CRLF
  semicolon.csv            a European-locale export: ';' delimiter, UTF-8,
                           English headers
"""
import csv, io, os

here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.DictReader(open(os.path.join(here, 'seed-expected.csv'), encoding='utf-8', newline='')))
seed = open(os.path.join(here, '../../samples/mic-cloud-guideline-v3-annex2-provider.txt'), encoding='utf-8').read()
pre = [l for l in seed.split('\n')[:8] if l.strip()]
title, note, annex = pre[0], pre[1], pre[2]


def bullets(text):
    # a bullet list flattened by the PDF extraction, as lines in a cell again
    return text.replace(' ・', '\n・')


def label(id_, level):
    parts = id_.split('.')
    return parts[0] + '. ' + '. '.join(parts[1:]) + ('.' if level < 3 else '')


def write(name, header, records, encoding, delimiter=',', lineterminator='\r\n', bom=False,
          above=()):
    buf = io.StringIO(newline='')
    w = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL)
    for row in above:
        w.writerow(row + [''] * (len(header) - len(row)))
    w.writerow(header)
    w.writerows(records)
    data = buf.getvalue().encode(encoding)
    if bom:
        data = ('\ufeff'.encode(encoding) if encoding.startswith('utf-16') else b'\xef\xbb\xbf') + data
    open(os.path.join(here, name), 'wb').write(data)


# 1. CP932, Japanese headers in another order, multi-line cells, printed numbers
hdr = ['項番', '対策項目', '区分', 'ISMS 管理策', '対策内容', '公開回答']
write('offices-cp932-crlf.csv', hdr,
      [[label(r['id'], int(r['level'])), r['title'], r['category'], r['isms'], bullets(r['description']),
        r['answer']] for r in rows], 'cp932')

# 2. Excel "CSV UTF-8"
hdr = ['ISMS管理策', '項番', '対策項目', '対策内容', '区分', '公開回答']
write('excel-csv-utf8-bom.csv', hdr,
      [[r['isms'], r['id'], r['title'], r['description'], r['category'], r['answer']] for r in rows],
      'utf-8', bom=True)

# 3. title rows above the header
write('title-rows.csv', hdr,
      [[r['isms'], label(r['id'], int(r['level'])), r['title'], r['description'], r['category'], r['answer']]
       for r in rows], 'utf-8', lineterminator='\n', above=([title], [note], [], [annex], []))

# 4. Excel "Unicode text": UTF-16LE, BOM, tabs
write('excel-unicode-text.tsv', hdr,
      [[r['isms'], r['id'], r['title'], r['description'], r['category'], r['answer']] for r in rows],
      'utf-16-le', delimiter='\t', bom=True)

# 5. semicolons, English headers, categories in English
en = {'基本': 'basic', '推奨': 'recommended', '': ''}
write('semicolon.csv', ['id', 'title', 'description', 'category', 'answer', 'isms', 'level'],
      [[r['id'], r['title'], r['description'], en[r['category']], r['answer'], r['isms'], r['level']]
       for r in rows], 'utf-8', delimiter=';', lineterminator='\n')
