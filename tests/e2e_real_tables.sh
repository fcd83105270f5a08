#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of the table readers on real control lists (the
# development set in ../shared/corpora/real/, or $CTL_REAL; its checks are
# skipped with a message when it is absent) and on shapes made here that
# are not in it: no options, counts, ids as printed, levels and parents.
#   tests/e2e_real_tables.sh PATH/TO/ctlconv        (run from the project root)
# Prints one line per check and a closing "N passed, N failed" line.
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
real=${CTL_REAL:-../shared/corpora/real}
py=python3
pyx=/usr/bin/python3   # Debian's, with openpyxl (python3-openpyxl)

# run NAME ARGS...: ctlconv ARGS, output in $work/out, errors in $work/err, status in rc
run() { "$bin" "$@" >"$work/out" 2>"$work/err"; rc=$?; }

# csvq EXPR: evaluates a Python expression over rows (the CSV output read by
# the csv module as dicts), printing its value
csvq() {
    $py - "$work/out" "$1" <<'PY'
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
ids = [r["id"] for r in rows]
byid = {r["id"]: r for r in rows}
levels = collections.Counter(r["level"] for r in rows)
print(eval(sys.argv[2]))
PY
}
# is NAME EXPR WANT: csvq EXPR prints WANT
is() {
    local got
    got=$(csvq "$2" 2>&1)
    if [ "$got" = "$3" ]; then ok "$1"; else ko "$1" "got '$got', want '$3'"; fi
}

# --- the development set -----------------------------------------------------
if [ ! -d "$real" ]; then
    echo "SKIP no development set at $real: the real lists are not checked"
else
    # CIS Controls v8: safeguards under the controls made of control_id/control_title
    f=$real/cis-controls-v8.csv
    run -t csv "$f"
    check "CIS: read with no options" "[ $rc = 0 ]" "$(cat "$work/err")"
    is "CIS: 18 controls and 153 safeguards" "sorted(levels.items())" "[('1', 18), ('2', 153)]"
    is "CIS: each safeguard under its control" \
        "all(r['parent'] == r['id'].split('.')[0] for r in rows if r['level'] == '2')" "True"
    is "CIS: titles as printed" "byid['1.1']['title'] + '|' + byid['1']['title']" \
        "Establish and Maintain Detailed Enterprise Asset Inventory|Inventory and Control of Enterprise Assets"
    check "CIS: headings-made said once, with its count" \
        "[ \$(grep -c 'headings-made' '$work/err') = 1 ] && grep -q '18 from .control_id. (titles .control_title.)' '$work/err'" \
        "$(cat "$work/err")"
    run -t csv --headings no "$f"
    is "CIS --headings no: 153 rows, control_id kept as a column" \
        "(len(rows), byid['1.1']['control_id'], byid['1.1']['control_title'][:9])" "(153, '1', 'Inventory')"
    check "CIS --headings no: nothing dropped" "[ $rc = 0 ] && ! grep -q 'extra-dropped' '$work/err'" "$(cat "$work/err")"

    # ISMAP: every row kept, ids as printed, domain and category headings
    f=$real/ismap-control-criteria-2022-04-01.csv
    run -v -t csv "$f"     # -v: every warning on its own line, none collapsed
    check "ISMAP: read with no options" "[ $rc = 0 ]" "$(cat "$work/err")"
    $py - "$f" >"$work/ismap-ids" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    print(r["control_id"])
PY
    is "ISMAP: all 263 rows, in order, ids as printed" \
        "[i for i in ids if i.count('.') >= 2] == open('$work/ismap-ids').read().split()" "True"
    is "ISMAP: 16 domains and 44 categories made headings" \
        "(len(rows), sum(1 for i in ids if '.' not in i), sum(1 for i in ids if i.count('.') == 1))" "(323, 16, 44)"
    is "ISMAP: suffixed ids under their parents" \
        "(byid['6.3.1.P']['parent'], byid['9.2.3.11.PB']['parent'], byid['3.1.1']['parent'], byid['3.1']['parent'])" \
        "('6.3', '9.2.3', '3.1', '3')"
    is "ISMAP: both duplicates kept" "(ids.count('4.4.1'), ids.count('4.4.1.1'))" "(2, 2)"
    check "ISMAP: duplicate-id warned twice" "[ \$(grep -c 'duplicate-id' '$work/err') = 2 ]" "$(cat "$work/err")"
    is "ISMAP: references kept as written" "byid['3.1.2']['references']" "27014:2013"
    check "ISMAP: one not-isms warning a cell" \
        "[ \$(grep -c 'not-isms' '$work/err') = $($py -c "import csv; print(sum(1 for r in csv.DictReader(open('$f', encoding='utf-8-sig')) if r['iso_reference']))") ]"

    # ISO/IEC 27001:2022, CISO Assistant's workbook, its sheet req_content
    # read as a table: levels from depth (read with no options, it is read
    # as CISO Assistant's library: tests/e2e_ciso_xlsx.sh)
    f=$real/iso27001-2022.xlsx
    run -t csv --sheet req_content "$f"
    check "ISO 27001:2022 workbook: its sheet req_content read as a table" "[ $rc = 0 ]" "$(cat "$work/err")"
    is "ISO 27001:2022: 140 items" "len(rows)" "140"
    is "ISO 27001:2022: ids and parents" \
        "(byid['4.1']['parent'], byid['A.5.1']['level'], byid['6.1.2']['parent'])" "('4', '3', '6.1')"
    if $pyx -c 'import openpyxl' 2>/dev/null; then
        $pyx - "$f" >"$work/depths" <<'PY'
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["req_content"]
rows = list(ws.iter_rows(values_only=True))
i = rows[0].index("depth")
print(" ".join(str(r[i]) for r in rows[1:] if any(c is not None for c in r)))
PY
        is "ISO 27001:2022: every level is the depth column's" "' '.join(r['level'] for r in rows)" "$(cat "$work/depths")"
    else
        echo "SKIP no openpyxl: levels not compared with the depth column"
    fi
    check "ISO 27001:2022 --sheet: no sheet-chosen" "[ $rc = 0 ] && ! grep -q 'sheet-chosen' '$work/err'" "$(cat "$work/err")"
    run -t csv --sheet req_content --strict --allow id-generated "$f"
    check "ISO 27001:2022 --sheet --strict: passes" "[ $rc = 0 ]" "$(cat "$work/err")"
fi

# --- shapes not in the development set -----------------------------------------
# a CP932 CSV of No./Title/Description with A.5.1 ids
printf 'No.,Title,Description\r\nA.5.1,情報セキュリティのための方針群,方針を定める\r\nA.5.2,役割及び責任,役割を定める\r\nA.6.1,選考,経歴を確認する\r\n' |
    iconv -f UTF-8 -t CP932 >"$work/soa.csv"
run -t csv "$work/soa.csv"
check "CP932 CSV No./Title/Description: read" "[ $rc = 0 ]" "$(cat "$work/err")"
is "CP932 CSV: ids and Japanese titles" "(ids, byid['A.5.2']['title'])" "(['A.5.1', 'A.5.2', 'A.6.1'], '役割及び責任')"

# NIST's own spreadsheet columns, exported as CSV
printf '%s\n' 'Control Identifier,Control (or Control Enhancement) Name,Control Text,Discussion,Related Controls' \
    'AC-1,Policy and Procedures,"a. Develop, document",Policy...,"IA-1, PM-9"' \
    'AC-2,Account Management,a. Define,Examples...,"AC-3, AC-5"' \
    'AC-2(1),Automated System Account Management,Support,Automated...,AC-2' >"$work/nist.csv"
run -t csv "$work/nist.csv"
check "NIST-shaped CSV: read" "[ $rc = 0 ]" "$(cat "$work/err")"
is "NIST-shaped CSV: enhancement under its control, names as titles" \
    "(byid['AC-2(1)']['parent'], byid['AC-2(1)']['level'], byid['AC-1']['title'])" "('AC-2', '2', 'Policy and Procedures')"

# a K-ISMS-P-like sheet: a Depth column and unnumbered requirement rows
printf 'Depth,번호,항목,세부내용\n1,1,관리체계,\n2,1.1,정책,\n3,,요구사항 가,내용 가\n3,,요구사항 나,내용 나\n2,1.2,조직,\n' >"$work/k.csv"
run -t csv "$work/k.csv"
check "Depth column with unnumbered rows: read" "[ $rc = 0 ]" "$(cat "$work/err")"
is "unnumbered rows kept under their numbered row" "[(r['id'], r['level'], r['parent']) for r in rows][2:4]" \
    "[('1.1#1', '3', '1.1'), ('1.1#2', '3', '1.1')]"

# an XLSX made by openpyxl: a cover sheet, a title row, a Japanese header
if $pyx -c 'import openpyxl' 2>/dev/null; then
    $pyx - "$work/ja.xlsx" <<'PY'
import openpyxl, sys
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "表紙"
ws.append(["管理策一覧"])
ws.append(["作成日", "2024-01-01"])
ws = wb.create_sheet("一覧")
ws.append(["情報セキュリティ管理策 適用宣言書"])
ws.append([])
ws.append(["項番", "管理策", "内容", "適用"])
for r in [("5", "組織的管理策", "", ""), ("5.1", "方針群", "方針を定める", "○"), ("5.1.1", "方針文書", "文書化する", "○"),
          ("5.2", "役割", "役割を定める", "×"), ("6", "人的管理策", "", ""), ("6.1", "選考", "経歴を確認する", "○")]:
    ws.append(list(r))
wb.save(sys.argv[1])
PY
    run -t csv "$work/ja.xlsx"
    check "openpyxl workbook 項番/管理策/内容: read from the second sheet" \
        "[ $rc = 0 ] && grep -q \"read sheet '一覧'\" '$work/err'" "$(cat "$work/err")"
    is "openpyxl workbook: levels and parents from the ids" \
        "[(r['id'], r['level'], r['parent']) for r in rows if r['id'] in ('5', '5.1.1', '6.1')]" \
        "[('5', '1', ''), ('5.1.1', '3', '5.1'), ('6.1', '2', '6')]"
else
    echo "SKIP no openpyxl: no workbook made here"
fi

# --- detection, options --------------------------------------------------------
printf 'Key,Foo,Bar\nA.5.1,x,y\nA.5.2,z,w\n' >"$work/u.csv"
run -t csv --column id=Key "$work/u.csv"
check "a .csv of unknown headers needs no -f" "[ $rc = 0 ]" "$(cat "$work/err")"
is "... its ids read from the mapped column" "ids" "['A.5.1', 'A.5.2']"
printf 'Key\tFoo\tBar\nA.5.1\tx y\tz\nA.5.2\tp\tq\n' >"$work/u.tab"
"$bin" -t csv --column id=Key <"$work/u.tab" >"$work/out" 2>"$work/err"
check "--column says standard input is a table" "[ \$? = 0 ] && grep -q '^A.5.2,' '$work/out'" "$(cat "$work/err")"
printf 'id,title\nA.5.1,Policies\nsee the note below,Roles\nA.6.1,Screening\n' >"$work/bad.csv"
run -t csv -o "$work/bad-out.csv" "$work/bad.csv"
check "a row whose id is prose: exit 1, nothing written" \
    "[ $rc = 1 ] && [ ! -e '$work/bad-out.csv' ] && grep -q 'bad-row' '$work/err'" "$(cat "$work/err")"
run -t csv --skip-bad-rows "$work/bad.csv"
check "--skip-bad-rows: the row skipped, with a warning" \
    "[ $rc = 0 ] && grep -q 'row-skipped' '$work/err' && [ \$(grep -c '^A\.' '$work/out') = 2 ]" "$(cat "$work/err")"
printf 'id,title,refs\nA.1,t,A.5.1 A.5.2\n' >"$work/r.csv"
run -t csv --ref-scheme iso27001-2022 "$work/r.csv"
check "--ref-scheme names the references' scheme" \
    "[ $rc = 0 ] && head -1 '$work/out' | grep -q ',iso27001-2022,'" "$(cat "$work/out" "$work/err")"
run -t csv --ref-scheme 'Not A Scheme' "$work/r.csv"
check "--ref-scheme refuses a name that is none" "[ $rc = 2 ]" "$(cat "$work/err")"
run -t csv --headings maybe "$work/r.csv"
check "--headings takes auto, yes or no" "[ $rc = 2 ] && grep -q 'auto, yes or no' '$work/err'" "$(cat "$work/err")"
printf 'id,title,Up,Refs\nAC-1,Policy,,A.5.1\nX-9,Odd one,AC-1,A.5.2\n' >"$work/p.csv"
run -t csv --column parent=Up --column refs=Refs --ref-scheme iso27001-2022 "$work/p.csv"
is "--column parent= and refs=: the parent column and the references read" \
    "(byid['X-9']['parent'], byid['X-9']['level'], byid['X-9']['iso27001-2022'])" "('AC-1', '2', 'A.5.2')"
"$bin" --help >"$work/help"
check "--help documents the new options" \
    "grep -q -- '--skip-bad-rows' '$work/help' && grep -q -- '--ref-scheme' '$work/help' && grep -q -- '--headings' '$work/help'"

finish
