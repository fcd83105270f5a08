#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of review 12's findings 2, 5 and 8: XLSX number cells
# read as Excel shows them under plain number formats (0.00, 000, #,##0,
# built-in 1-4, 9, 10), a merged identifier that names one item, and
# Windows-1252 CSV never read as CP932 half-width katakana while CP932
# lists from Japan (ISMAP's English edition, ･ as a bullet) still read.
# The workbooks are made here by openpyxl (Debian's python3-openpyxl).
#   tests/e2e_xlsx_cells.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
pyx=/usr/bin/python3
real=${CTL_REAL:-../shared/corpora/real}

# field FILE ID COLUMN: the cell of a CSV output's row ID under COLUMN
field() {
    python3 - "$1" "$2" "$3" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")):
    if r["id"] == sys.argv[2]:
        print(r[sys.argv[3]])
PY
}
ids() { python3 -c 'import csv,sys; print(" ".join(r["id"] for r in csv.DictReader(open(sys.argv[1]))))' "$1"; }

if ! $pyx -c 'import openpyxl' 2>/dev/null; then
    echo "SKIP no openpyxl (python3-openpyxl): the workbooks are not made"
else
    # --- number formats ----------------------------------------------------
    $pyx - "$work/fmt.xlsx" <<'PY'
import openpyxl, sys
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["ID", "Title", "Value"])
# (id, id format, value, value format); openpyxl stores 0, 0.00, #,##0,
# #,##0.00, 0% and 0.00% as the built-in ids 1-4, 9 and 10
rows = [("1.1", None, 1.1, "0.00"), (1.1, "0.00", 1.1, "0.0"), (7, "000", 7, "000"),
        ("2.1", None, 1234.5, "#,##0"), ("2.2", None, 1234.5, "#,##0.00"), ("2.3", None, 2.5, "0"),
        ("2.4", None, 0.125, "0%"), ("2.5", None, 0.125, "0.00%"), ("2.6", None, 1.25, "0.0#"),
        ("2.7", None, 3, "0.000;[Red]-0.000"), ("2.8", None, 1.5, "0.00E+00")]
for i, f, v, vf in rows:
    ws.append([i, "t", v])
    if f:
        ws.cell(ws.max_row, 1).number_format = f
    ws.cell(ws.max_row, 3).number_format = vf
wb.save(sys.argv[1])
PY
    "$bin" -t csv -o "$work/fmt.csv" "$work/fmt.xlsx" 2>"$work/err"; rc=$?
    check "numbers under plain formats: read with no error" "[ $rc = 0 ]" "$(cat "$work/err")"
    check "an id 1.1 formatted 0.00 reads 1.10 (section 1.10, not 1.1), 7 in 000 reads 007" \
        "[ \"\$(ids '$work/fmt.csv' | cut -d' ' -f1-3)\" = '1.1 1.10 007' ]" "$(cat "$work/fmt.csv")"
    want='1.1 1.10|1.10 1.1|007 007|2.1 1,235|2.2 1,234.50|2.3 3|2.4 13%|2.5 12.50%|2.6 1.25|2.7 3.000|2.8 1.5'
    got=$(for i in 1.1 1.10 007 2.1 2.2 2.3 2.4 2.5 2.6 2.7 2.8; do printf '%s %s|' "$i" "$(field "$work/fmt.csv" "$i" Value)"; done)
    check "values as Excel shows them: 0.00, 0.0, 000, #,##0, #,##0.00, 0, 0%, 0.00%, 0.0#, sections" \
        "[ '${got%|}' = '$want' ]" "got ${got%|}"
    # (openpyxl stores 0.00E+00 as the built-in 11)
    check "an exponent format keeps the stored number, with number-format-ignored naming it" \
        "grep -q \"row 12, column C (Value): number format built-in 11 not applied.*the stored number 1.5 kept.*\\[number-format-ignored\\]\" '$work/err'" \
        "$(cat "$work/err")"
    check "... and it is the only warning" "[ \$(grep -c . '$work/err') = 1 ]" "$(cat "$work/err")"

    # --- merged identifiers ---------------------------------------------------
    $pyx - "$work/merged.xlsx" <<'PY'
import openpyxl, sys
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["번호", "항목", "상세내용", "주요 확인사항", "구분"])
ws.append(["1.1.1", "경영진의 참여", "참여하여야 한다.", "문서화하고 있는가?", "IG1"])
ws.append([None, None, None, "승인 절차를 수립·이행하고 있는가?", None])
ws.append([None, None, None, "의사결정에 참여하고 있는가?", None])
ws.append(["1.1.2", "최고책임자의 지정", "지정하여야 한다.", "지정하고 있는가?", "IG2"])
ws.append(["1.1.3", "조직 구성", "구성하여야 한다.", "구성하고 있는가?", None])
for c in "ABC":
    ws.merge_cells(f"{c}2:{c}4")
ws.merge_cells("E5:E6")   # an id-like word merged down rows with ids of their own
wb.save(sys.argv[1])
PY
    "$bin" -t csv -o "$work/merged.csv" "$work/merged.xlsx" 2>"$work/err"; rc=$?
    check "K-ISMS-P with the number merged down its checks: one item 1.1.1, its checks under it" \
        "[ $rc = 0 ] && [ \"\$(ids '$work/merged.csv')\" = '1.1.1 1.1.1#1 1.1.1#2 1.1.2 1.1.3' ] &&
         [ \"\$(field '$work/merged.csv' 1.1.1#2 parent)\" = 1.1.1 ]" "$(cat "$work/err" "$work/merged.csv")"
    check "... no duplicate-id" "! grep -q duplicate-id '$work/err'" "$(cat "$work/err")"
    check "... the merged title still fills the check rows, each check its own" \
        "[ \"\$(field '$work/merged.csv' 1.1.1#1 title)\" = '경영진의 참여' ] &&
         [ \"\$(field '$work/merged.csv' 1.1.1#1 '주요 확인사항')\" = '승인 절차를 수립·이행하고 있는가?' ]" \
        "$(cat "$work/merged.csv")"
    check "an id-like word (IG2) merged down rows with ids of their own fills them" \
        "[ \"\$(field '$work/merged.csv' 1.1.3 구분)\" = IG2 ]" "$(cat "$work/merged.csv")"
fi

# --- Windows-1252 against CP932 ---------------------------------------------------
printf 'id,title\r\nPE-14,18\xb0C \xb1 2\xb0C\r\n' >"$work/w.csv"
"$bin" -t csv "$work/w.csv" >"$work/out" 2>"$work/err"; rc=$?
check "the review's Windows-1252 CSV: refused, the mojibake shown, --encoding named" \
    "[ $rc = 1 ] && [ ! -s '$work/out' ] && grep -q 'w.csv:2: reads only as CP932, and not as Japanese text: 3 characters out of place.*18ｰC ｱ 2ｰC.*--encoding.*\\[undecodable\\]' '$work/err'" \
    "$(cat "$work/err")"
"$bin" -t csv --encoding windows-1252 "$work/w.csv" >"$work/out" 2>"$work/err"
check "... read right with --encoding windows-1252" "grep -q '18°C ± 2°C' '$work/out'" "$(cat "$work/err")"
printf 'id,title\r\nA.1,27\xb0\r\n' >"$work/w1.csv"
"$bin" -t csv "$work/w1.csv" >"$work/out" 2>"$work/err"; rc=$?
check "one such character: read as CP932, with an encoding-weak warning naming --encoding" \
    "[ $rc = 0 ] && grep -q 'too few characters to tell.*--encoding.*\\[encoding-weak\\]' '$work/err'" "$(cat "$work/err")"
printf 'id,title\r\nA.1,ｼｽﾃﾑ管理者はﾊﾟｽﾜｰﾄﾞを変更する\r\nA.2,ﾕｰｻﾞｰID\r\n' | iconv -f UTF-8 -t CP932 >"$work/j.csv"
"$bin" -t csv "$work/j.csv" >"$work/out" 2>"$work/err"; rc=$?
check "CP932 Japanese with half-width katakana: read in silence" \
    "[ $rc = 0 ] && [ ! -s '$work/err' ] && grep -q 'ﾕｰｻﾞｰID' '$work/out'" "$(cat "$work/err")"
if [ -f "$real/ismap-control-criteria-2022-04-01.csv" ]; then
    iconv -f UTF-8 -t CP932 "$real/ismap-control-criteria-2022-04-01.csv" >"$work/ismap.csv"
    "$bin" -t csv "$work/ismap.csv" >"$work/out" 2>"$work/err"; rc=$?
    "$bin" -q -t csv "$real/ismap-control-criteria-2022-04-01.csv" >"$work/ismap-utf8.csv"
    check "ISMAP's English edition saved as CP932 (･ bullets): read as its UTF-8 original is, no encoding warning" \
        "[ $rc = 0 ] && cmp -s '$work/out' '$work/ismap-utf8.csv' && ! grep -q 'encoding' '$work/err'" \
        "$(grep encoding "$work/err")"
else
    echo "SKIP $real is missing: ISMAP in CP932 not read"
fi

finish
