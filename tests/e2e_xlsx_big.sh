#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of large workbooks (issue 14): a sheet of 24,000 rows
# (about 3 MB zipped, 17 MB of sheet XML) is read in place from its file
# (not whole into memory) and on threads (formats/xlsx_read.c), and gives
# what the same list gives as CSV, whichever producer made it (ctlconv's
# inline strings, openpyxl's shared strings), from a file, standard input
# or a pipe (read whole); a vertical merge over it (read on one thread) fills
# as in a small sheet; its rows flow to standard output as they are read
# (not with --strict); a large zip that is no workbook is told by its
# directory.
#   tests/e2e_xlsx_big.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
py=/usr/bin/python3
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt

# 150 copies of the seed's 160 items under distinct ids: 24,000 rows
"$bin" -q -t csv -o "$work/seed.csv" "$seed"
{
    head -1 "$work/seed.csv"
    for k in $(seq 150); do
        tail -n +2 "$work/seed.csv" | sed "s/^\([^,]\)/K$k.\1/; s/^\(K$k\.[^,]*,[^,]*,\)\([^,]\)/\1K$k.\2/"
    done
} >"$work/big.csv"
rows=$(($(wc -l <"$work/big.csv") - 1))
"$bin" -q -t csv -o "$work/want.csv" "$work/big.csv"
check "the list: $rows rows, read back from CSV" '[ "$rows" -ge 24000 ] && [ -s "$work/want.csv" ]'

"$bin" -q -t xlsx -o "$work/big.xlsx" "$work/big.csv"
size=$(stat -c %s "$work/big.xlsx")
check "ctlconv's workbook: $size bytes (over the 1.25 MB read first)" '[ "$size" -gt 1400000 ]'
"$bin" -q -t csv -o "$work/got.csv" "$work/big.xlsx" 2>"$work/err"
check "read in place from its file: the CSV's list" 'cmp -s "$work/want.csv" "$work/got.csv"' \
    "$(cat "$work/err"; diff "$work/want.csv" "$work/got.csv" | head -5)"
"$bin" -q -f xlsx -t csv - <"$work/big.xlsx" >"$work/stdin.csv" 2>"$work/err"
check "from standard input (a file: read in place as well): the same" 'cmp -s "$work/want.csv" "$work/stdin.csv"' \
    "$(cat "$work/err")"
cat "$work/big.xlsx" | "$bin" -q -f xlsx -t csv - >"$work/pipe.csv" 2>"$work/err"
check "from a pipe (read whole): the same" 'cmp -s "$work/want.csv" "$work/pipe.csv"' "$(cat "$work/err")"

if "$py" -c 'import openpyxl' 2>/dev/null; then
    # openpyxl: shared strings, its own styles; and a copy whose category
    # column is merged down each item's rows past the first (read on one thread)
    "$py" - "$work/big.csv" "$work/openpyxl.xlsx" "$work/merged.xlsx" <<'PY'
import csv, sys, openpyxl
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
for path, merge in ((sys.argv[2], False), (sys.argv[3], True)):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "controls"
    for r in rows:
        ws.append(r)
    if merge:
        # a category written once over 3 rows that have text of their own
        cat = rows[0].index("category")
        for top in range(2, len(rows) - 2, 3):
            ws.cell(top, cat + 1).value = "merged %d" % top
            ws.cell(top + 1, cat + 1).value = None
            ws.cell(top + 2, cat + 1).value = None
            ws.merge_cells(start_row=top, start_column=cat + 1, end_row=top + 2, end_column=cat + 1)
    wb.save(path)
PY
    "$bin" -q -t csv -o "$work/op.csv" "$work/openpyxl.xlsx" 2>"$work/err"
    check "openpyxl's workbook (shared strings) read in place: the CSV's list" 'cmp -s "$work/want.csv" "$work/op.csv"' \
        "$(cat "$work/err"; diff "$work/want.csv" "$work/op.csv" | head -5)"
    "$bin" -q -t csv -o "$work/merged.csv" "$work/merged.xlsx" 2>"$work/err"
    rc=$?
    "$py" - "$work/want.csv" "$work/merged.csv" >"$work/mcheck" 2>&1 <<'PY'
import csv, sys
want = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
got = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
assert len(want) == len(got), (len(want), len(got))
for i, (w, g) in enumerate(zip(want, got)):
    top = 2 + (i // 3) * 3          # the sheet row of the merge over row i + 2
    if top + 2 <= len(want):
        assert g["category"] == "merged %d" % top, (i, g["category"])
    for k in w:
        if k != "category":
            assert w[k] == g[k], (i, k, w[k], g[k])
PY
    check "a vertical merge over the large sheet fills each row under it" '[ $rc = 0 ] && [ ! -s "$work/mcheck" ]' \
        "exit $rc: $(cat "$work/err" "$work/mcheck")"
else
    echo "SKIP openpyxl is not installed (python3-openpyxl)"
fi

# read in place, the workbook's bytes are not held: a copy padded with a
# 48 MB stored entry (an image, say) costs a run from its file far less
# memory than one from a pipe, which holds it whole
"$py" - "$work/big.xlsx" "$work/padded.xlsx" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as dst:
    for i in src.infolist():
        dst.writestr(i, src.read(i.filename))
    dst.writestr(zipfile.ZipInfo("xl/media/image1.bin"), os.urandom(48 << 20), zipfile.ZIP_STORED)
PY
peak() {   # peak memory (KB) of a shell command, the largest of its processes
    "$py" -c 'import resource, subprocess, sys
subprocess.run(["sh", "-c", sys.argv[1]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$1"
}
from_file=$(peak "'$bin' -q -t csv '$work/padded.xlsx'")
from_pipe=$(peak "cat '$work/padded.xlsx' | '$bin' -q -f xlsx -t csv -")
"$bin" -q -t csv -o "$work/padded.csv" "$work/padded.xlsx"
check "a 51 MB workbook from its file: peak $((from_file / 1024)) MB, from a pipe $((from_pipe / 1024)) MB" \
    '[ $((from_file + 40960)) -lt "$from_pipe" ] && cmp -s "$work/want.csv" "$work/padded.csv"'

# rows flow to standard output as they are read: an error at item 20,001
# leaves what came before it there (as for a streamed CSV); --strict
# writes nothing
"$bin" -q -t csv --limit items=20000 "$work/big.xlsx" >"$work/flow.csv" 2>"$work/err"
rc=$?
check "--limit items=20000 on standard output: exit 1, the rows before it written" \
    '[ $rc = 1 ] && [ "$(wc -l <"$work/flow.csv")" -gt 10000 ]' "exit $rc, $(wc -l <"$work/flow.csv") lines"
"$bin" -q --strict -t csv --limit items=20000 "$work/big.xlsx" >"$work/strict.csv" 2>"$work/err"
rc=$?
check "... with --strict: exit 1, nothing written" '[ $rc = 1 ] && [ ! -s "$work/strict.csv" ]' "exit $rc"
"$bin" -q -t csv --limit items=20000 -o "$work/file.csv" "$work/big.xlsx" 2>"$work/err"
rc=$?
check "... to a file: exit 1, no file" '[ $rc = 1 ] && [ ! -e "$work/file.csv" ]' "exit $rc"

# a large zip that is a Word document, and one that is no document at all
"$py" - "$work/doc.docx" "$work/plain.zip" <<'PY'
import os, sys, zipfile
for path, name in ((sys.argv[1], "word/document.xml"), (sys.argv[2], "data/blob.bin")):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml" if name.startswith("word") else "readme.txt", "<Types/>")
        z.writestr("padding.bin", os.urandom(2_000_000))
        z.writestr(name, "<w:document/>")
PY
"$bin" -q -t csv "$work/doc.docx" >/dev/null 2>"$work/err"
rc=$?
check "a 2 MB Word document (its name at the end): exit 1, [unreadable-format]" \
    '[ $rc = 1 ] && grep -q "unreadable-format" "$work/err"' "exit $rc: $(cat "$work/err")"
"$bin" -q -t csv "$work/plain.zip" >/dev/null 2>"$work/err"
rc=$?
check "a 2 MB zip of no document: exit 1, [unreadable-format]" \
    '[ $rc = 1 ] && grep -q "unreadable-format" "$work/err"' "exit $rc: $(cat "$work/err")"
finish
