#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Benchmark: ctlconv against the tools people use today, whole processes,
# measured in one run on the same machine, reported as ratios.  Not a test:
# run it by hand (needs: apt-get install csvkit xlsx2csv python3-xlsxwriter
# libreoffice-calc-nogui).
#   tests/bench/bench.sh [build/ctlconv] [ROWS]
set -euo pipefail
bin=${1:-build/ctlconv}
rows=${2:-100000}
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A large list: the seed's 160 rows repeated, as UTF-8 CSV and as CP932 CSV.
"$bin" -q -t csv "$seed" >"$work/one.csv"
{ head -1 "$work/one.csv"; for _ in $(seq $(( (rows + 159) / 160 ))); do tail -n +2 "$work/one.csv"; done; } |
    head -n $((rows + 1)) >"$work/big.csv"
"$bin" -q --output-encoding cp932 --crlf -t csv "$work/big.csv" >"$work/big-cp932.csv"
echo "input: $rows rows, $(du -h "$work/big.csv" | cut -f1) UTF-8 CSV"

best() {   # best of 3 wall times, and the peak RSS of the last run
    local t best=999999 rss
    for _ in 1 2 3; do
        /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr"; exit 1; }
        read -r t rss <"$work/time"
        best=$(python3 -c "print(min($best, $t))")
    done
    echo "$best $rss"
}
row() {    # row LABEL CTLCONV-CMD... -- OTHER-CMD...
    local label=$1; shift
    local a=() b=()
    while [ "$1" != -- ]; do a+=("$1"); shift; done; shift; b=("$@")
    read -r ta ra < <(best "${a[@]}")
    read -r tb rb < <(best "${b[@]}")
    printf '%-34s ctlconv %6.2fs %6d KB | %-10s %6.2fs %6d KB | %5.1fx faster\n' "$label" "$ta" "$ra" \
        "$(basename "${b[0]}")" "$tb" "$rb" "$(python3 -c "print($tb / max($ta, 0.001))")"
}
row "CSV -> JSON" "$bin" -q -f csv -t json "$work/big.csv" -- csvjson "$work/big.csv"
row "CSV -> CSV (re-quote)" "$bin" -q -f csv -t csv "$work/big.csv" -- csvformat "$work/big.csv"
row "CP932 CSV -> UTF-8 CSV" "$bin" -q -f csv -t csv "$work/big-cp932.csv" -- csvformat -e cp932 "$work/big-cp932.csv"

# XLSX: reading against xlsx2csv, writing against Python's xlsxwriter (its
# constant_memory mode, as ctlconv) and LibreOffice.
"$bin" -q -f csv -t xlsx -o "$work/big.xlsx" "$work/big.csv"
cat >"$work/xw.py" <<'PY'
import csv, sys, xlsxwriter
wb = xlsxwriter.Workbook(sys.argv[2], {'constant_memory': True})
ws = wb.add_worksheet()
for r, row in enumerate(csv.reader(open(sys.argv[1], encoding='utf-8', newline=''))):
    for c, v in enumerate(row):
        ws.write_string(r, c, v)
wb.close()
PY
row "XLSX -> CSV" "$bin" -q -f xlsx -t csv "$work/big.xlsx" -- xlsx2csv "$work/big.xlsx"
row "CSV -> XLSX" "$bin" -q -f csv -t xlsx -o "$work/o.xlsx" "$work/big.csv" -- /usr/bin/python3 "$work/xw.py" "$work/big.csv" "$work/o2.xlsx"
row "CSV -> XLSX (LibreOffice)" "$bin" -q -f csv -t xlsx -o "$work/o.xlsx" "$work/big.csv" -- \
    soffice -env:UserInstallation=file://"$work/lo" --headless --convert-to xlsx --outdir "$work/lo" "$work/big.csv"
