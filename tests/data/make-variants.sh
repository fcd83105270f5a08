#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Makes the encoding and numbering variants of the bundled seed sample that
# the tests read.  Each must read to the same 160 rows as the seed itself.
# Run from this folder; needs glibc iconv and python3.  The outputs are
# committed, so the tests do not depend on this script.
set -euo pipefail
seed=../../samples/mic-cloud-guideline-v3-annex2-provider.txt

# CP932 with CRLF line ends, as Windows tools write it.
sed 's/$/\r/' "$seed" | iconv -f UTF-8 -t CP932 > seed-cp932-crlf.txt

# UTF-16LE with a byte-order mark, as Notepad's "Unicode" writes it.
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$seed"; } > seed-utf16le-bom.txt

# EUC-JP: U+2162 (Ⅲ) does not exist in plain EUC-JP, so such files write III.
sed 's/Ⅲ/III/g' "$seed" | iconv -f UTF-8 -t EUC-JP > seed-eucjp.txt

# Old Mac line ends (CR only).
tr '\n' '\r' < "$seed" > seed-cr.txt

# Full-width numbering and references: "II. 1. 1. 1" -> "Ⅱ．１．１．１",
# "A.5.1.1" -> "Ａ．５．１．１".
python3 - "$seed" > seed-fullwidth.txt <<'PY'
import re, sys
FW = str.maketrans('0123456789.A', '０１２３４５６７８９．Ａ')
ROMAN = {'I': 'Ⅰ', 'II': 'Ⅱ', 'III': 'Ⅲ', 'Ⅲ': 'Ⅲ'}
num = re.compile(r'^(III|II|I|Ⅲ)\.((?: \d+\.?)+)')
ref = re.compile(r'^A(\.\d+)+$')
def field(f):
    m = num.match(f)
    if m:
        digits = m.group(2).replace(' ', '')
        return ROMAN[m.group(1)] + '．' + digits.translate(FW) + f[m.end():]
    if ref.match(f):
        return f.translate(FW)
    return f
text = open(sys.argv[1], encoding='utf-8').read()
sys.stdout.write('\n'.join('\t'.join(field(f) for f in line.split('\t')) for line in text.split('\n')))
PY

# ISO-2022-JP (7-bit JIS, as old mail tools write it); it has no Ⅲ either.
sed 's/Ⅲ/III/g' "$seed" | iconv -f UTF-8 -t ISO-2022-JP > seed-iso2022jp.txt
