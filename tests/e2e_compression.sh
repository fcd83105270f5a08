#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of --compression N, the deflate level of an XLSX
# output's zip entries (issue 14), run from the project root:
#   tests/e2e_compression.sh BUILD/ctlconv BUILD/libctlconv.so INCLUDE-DIR CC
# - 0 gives stored entries, 9 and the default deflated ones (Python's
#   zipfile says so); each workbook reads back as the input, and opens in
#   openpyxl and in LibreOffice with the same text; the same input gives
#   the same bytes; the default is level 1;
# - the level is set through the library's definition of minizip's
#   zipOpenNewFileInZip4_64 (formats/xlsx_write.c): the program exports it
#   (nm -D), and so does libctlconv.so; a program built against
#   libctlconv.so gets the level asked for, and one that links libminizip
#   ahead of it gets libxlsxwriter's own level and a warning
#   (compression-ignored).
# CTL_CFLAGS: extra flags for the programs built here (the sanitizer build's).
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
so=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
inc=$3
cc=${4:-cc}
read -ra cflags <<<"${CTL_CFLAGS:-}"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt

# methods FILE: the set of compression methods of the zip's entries (0 stored, 8 deflated)
methods() {
    /usr/bin/python3 -c "import sys, zipfile; print(' '.join(sorted({str(i.compress_type) for i in zipfile.ZipFile(sys.argv[1]).infolist()})))" "$1"
}

"$bin" -q -t csv -o "$work/in.csv" "$seed" || ko "the seed as CSV"
for level in 0 9 default; do
    opt=(); [ "$level" = default ] || opt=(--compression "$level")
    "$bin" -q "${opt[@]}" -o "$work/$level.xlsx" "$work/in.csv" 2>"$work/err"; rc=$?
    want=8; [ "$level" = 0 ] && want=0
    check "--compression $level: exit 0, entries of method $want" '[ $rc = 0 ] && [ "$(methods "$work/$level.xlsx")" = "$want" ]' \
        "exit $rc: $(cat "$work/err") methods $(methods "$work/$level.xlsx" 2>&1)"
    "$bin" -q -t csv -o "$work/$level.csv" "$work/$level.xlsx" 2>"$work/err"; rc=$?
    check "--compression $level: the workbook reads back as the input" '[ $rc = 0 ] && cmp -s "$work/$level.csv" "$work/in.csv"' \
        "exit $rc: $(cat "$work/err"; diff "$work/in.csv" "$work/$level.csv" | head -3)"
    "$bin" -q "${opt[@]}" -o "$work/$level-again.xlsx" "$work/in.csv" 2>/dev/null
    check "--compression $level: the same input gives the same bytes" 'cmp -s "$work/$level.xlsx" "$work/$level-again.xlsx"'
done
"$bin" -q --compression 1 -o "$work/1.xlsx" "$work/in.csv" 2>/dev/null
check "the default level is 1" 'cmp -s "$work/1.xlsx" "$work/default.xlsx"'
s0=$(stat -c %s "$work/0.xlsx") s9=$(stat -c %s "$work/9.xlsx") s1=$(stat -c %s "$work/1.xlsx")
check "sizes: level 0 ($s0) > level 1 ($s1) >= level 9 ($s9)" '[ "$s0" -gt "$s1" ] && [ "$s1" -ge "$s9" ]'
"$bin" -q --compression 10 -o "$work/10.xlsx" "$work/in.csv" 2>"$work/err"; rc=$?
check "--compression 10: a usage error (exit 2), nothing written" '[ $rc = 2 ] && [ ! -e "$work/10.xlsx" ]' "exit $rc: $(cat "$work/err")"

# openpyxl and LibreOffice read every level's workbook with the input's text.
cat >"$work/same.py" <<'PY'
import csv, sys
want = list(csv.reader(open(sys.argv[2], encoding='utf-8', newline='')))
if sys.argv[1] == 'openpyxl':
    import openpyxl
    ws = openpyxl.load_workbook(sys.argv[3]).active
    got = [['' if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
else:
    got = list(csv.reader(open(sys.argv[3], encoding='utf-8', newline='')))
got = [r + [''] * (len(want[0]) - len(r)) for r in got if any(r)]
# the text columns (title, description, category, answer) as written
cols = slice(4, 8)
w = [r[cols] for r in want[1:]]
g = [r[cols] for r in got[-len(w):]]
if w != g:
    bad = next(i for i in range(len(w)) if w[i] != g[i])
    sys.exit('row %d: %r != %r (%d rows read)' % (bad + 2, g[bad], w[bad], len(got)))
PY
for level in 0 9 default; do
    /usr/bin/python3 "$work/same.py" openpyxl "$work/in.csv" "$work/$level.xlsx" >"$work/py.out" 2>&1
    check "--compression $level: openpyxl opens the workbook, same text" '[ $? = 0 ]' "$(tail -3 "$work/py.out")"
done
if command -v soffice >/dev/null; then
    mkdir -p "$work/lo"
    (cd "$work/lo" && timeout 180 soffice -env:UserInstallation=file://"$work/lo/profile" --headless \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' "$work/0.xlsx" "$work/9.xlsx" "$work/default.xlsx" \
        --outdir "$work/lo" >/dev/null 2>&1)
    for level in 0 9 default; do
        /usr/bin/python3 "$work/same.py" libreoffice "$work/in.csv" "$work/lo/$level.csv" >"$work/py.out" 2>&1
        check "--compression $level: LibreOffice opens the workbook, same text" '[ $? = 0 ]' "$(tail -3 "$work/py.out")"
    done
else
    echo "SKIP LibreOffice: soffice is not installed (apt-get install libreoffice-calc-nogui)"
fi

# The binding: the program and libctlconv.so export the definition.
sym=zipOpenNewFileInZip4_64
check "nm -D: the program exports $sym (libxlsxwriter's call binds to it)" \
    'nm -D --defined-only "$bin" | grep -qE " T $sym\$"'
check "nm -D: libctlconv.so exports $sym" 'nm -D --defined-only "$so" | grep -qE " T $sym\$"'

# Programs built against libctlconv.so: as a user builds them, and with
# libminizip ahead of it (then minizip's definition comes first).
cat >"$work/level.c" <<'C'
#include <stdio.h>
#include <ctlconv.h>
int main(int argc, char **argv)
{
    ctl_ctx *ctx = ctl_ctx_new();
    ctl_options o;
    ctl_options_init(&o);
    o.compression = 1;   /* level 0: stored */
    ctl_status st = ctl_convert_file(ctx, argv[1], NULL, argv[2], ctl_format_by_name("xlsx"), &o, 0);
    printf("%d %zu\n", (int)st, ctl_warning_count_of(ctx, CTL_D_COMPRESSION_IGNORED));
    ctl_ctx_free(ctx);
    return argc < 3 || st != CTL_OK;
}
C
sodir=$(dirname "$so")
"$cc" "${cflags[@]}" -I"$inc" -o "$work/level" "$work/level.c" -L"$sodir" -Wl,-rpath,"$sodir" -lctlconv \
    >"$work/cc.log" 2>&1; rc=$?
check "a program builds against libctlconv.so" '[ $rc = 0 ]' "$(cat "$work/cc.log")"
out=$("$work/level" "$work/in.csv" "$work/so.xlsx" 2>&1); rc=$?
check "against libctlconv.so: level 0 applied (stored entries, no warning)" \
    '[ $rc = 0 ] && [ "$out" = "0 0" ] && [ "$(methods "$work/so.xlsx")" = 0 ]' "exit $rc: $out"
"$cc" "${cflags[@]}" -I"$inc" -o "$work/level-mz" "$work/level.c" -L"$sodir" -Wl,-rpath,"$sodir" \
    -Wl,--no-as-needed -lminizip -lctlconv >"$work/cc.log" 2>&1; rc=$?
check "a program builds with libminizip linked ahead of libctlconv.so" '[ $rc = 0 ]' "$(cat "$work/cc.log")"
out=$("$work/level-mz" "$work/in.csv" "$work/mz.xlsx" 2>&1); rc=$?
check "libminizip ahead: libxlsxwriter's own level (deflated), said in one compression-ignored warning" \
    '[ $rc = 0 ] && [ "$out" = "0 1" ] && [ "$(methods "$work/mz.xlsx")" = 8 ]' "exit $rc: $out"
"$bin" -q -t csv -o "$work/mz.csv" "$work/mz.xlsx" 2>/dev/null
check "... and that workbook reads back as the input" 'cmp -s "$work/mz.csv" "$work/in.csv"'

finish
