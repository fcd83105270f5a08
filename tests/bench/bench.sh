#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Benchmark: ctlconv against the tools a user would pick instead, whole
# processes (wall time and peak memory from /usr/bin/time), all measured in
# one run on the same machine, reported as ratios in a Markdown table.  Not a
# test: run it by hand on a quiet machine, from anywhere in the tree.
#   tests/bench/bench.sh [-b CTLCONV] [-s ROWS,...] [-n RUNS] [-j JOB,...]
#                        [-T TOOL,...] [-w DIR]
#   -b  the ctlconv binary (default: build/ctlconv)
#   -s  list sizes in rows (default: 160000,1600000)
#   -n  runs of each command; the best wall time is kept (default: 3)
#   -j  only these jobs (default: all): csv-xlsx xlsx-csv csv-json csv-cp932
#       cp932-csv csv-jsonl jsonl-csv text-csv batch
#   -T  only these tools (default: all): ctlconv mlr xlsx2csv csvkit
#       xlsxwriter libreoffice
#   -w  keep the inputs and outputs in DIR, inputs reused (default: a temp folder)
# BENCH_SLOW=1 also runs LibreOffice and csvkit above 160,000 rows (minutes
# each).  Peers missing on the machine are skipped with a note.  The peers:
# Debian's xlsx2csv, csvkit, miller, python3-xlsxwriter, libreoffice-calc,
# iconv (libc-bin).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=build/ctlconv sizes=160000,1600000 runs=3 jobs=all tools=all keep=
while getopts b:s:n:j:T:w:h opt; do
    case $opt in
    b) bin=$OPTARG ;; s) sizes=$OPTARG ;; n) runs=$OPTARG ;; j) jobs=$OPTARG ;;
    T) tools=$OPTARG ;; w) keep=$OPTARG ;;
    *) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || { echo "bench: no ctlconv at $bin (build it, or give -b)" >&2; exit 2; }
cd "$root"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
if [ -n "$keep" ]; then mkdir -p "$keep"; work=$(cd "$keep" && pwd); else
    work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
xlsx_rows=1048576            # rows a worksheet holds, the header's included
slow_rows=160000             # above it, LibreOffice and csvkit only with BENCH_SLOW=1

say() { echo "bench: $*" >&2; }
notes=()
note() { notes+=("$*"); say "$*"; }
listed() { [ "$1" = all ] || [[ ",$1," == *",$2,"* ]]; }
have() { command -v "$1" >/dev/null 2>&1; }
fmt_s() { awk -v t="$1" 'BEGIN { printf (t < 10 ? "%.2f s" : "%.1f s"), t }'; }
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf (b < 10485760 ? "%.1f MB" : "%.0f MB"), b / 1048576 }'; }
fmt_mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", a / (b > 0.005 ? b : 0.005) }'; }

# --- measuring ---------------------------------------------------------------
# measure TOOL LABEL CMD...: runs CMD $runs times (standard output into a
# file, $pre evaluated before each run, untimed); records the best wall time
# and the largest peak RSS as res[SIZE|JOB|TOOL] = "TIME KB", or FAIL.  A
# pipeline is measured as one `sh -c`: its peak is its largest process's.
declare -A res label
order=()
measure() {
    local tool=$1 lab=$2 key="$size|$job|$1" i t kb best= peak=0
    shift 2
    listed "$tools" "${tool/#loop/ctlconv}" || return 0
    label[$job|$tool]=$lab
    [[ " ${order[*]} " == *" $job|$tool "* ]] || order+=("$job|$tool")
    if ! have "$1"; then note "$job: $lab skipped: $1 is not installed"; return 0; fi
    if [[ $tool == @(libreoffice|csvkit) ]] && [ "$size" -gt "$slow_rows" ] && [ -z "${BENCH_SLOW:-}" ]; then
        note "$job at $size rows: $lab skipped (minutes; BENCH_SLOW=1 runs it)"; return 0
    fi
    say "$size rows, $job: $lab"
    for ((i = 0; i < runs; i++)); do
        eval "${pre:-:}"
        if ! /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out/$job.$tool" 2>"$work/err"; then
            note "$job at $size rows: $lab FAILED: $(tail -2 "$work/err" | tr '\n' ' ')"
            res[$key]=FAIL; return 0
        fi
        read -r t kb <"$work/time"
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
        [ "$kb" -gt "$peak" ] && peak=$kb
        if [ "$i" = 0 ] && [ "$runs" -gt 1 ] && awk -v t="$t" 'BEGIN { exit !(t > 30) }'; then
            note "$job at $size rows: $lab run once (over 30 s)"; break
        fi
    done
    res[$key]="$best $peak"
}
same_csv() {   # ctlconv's CSV output must be the CSV the inputs were made from
    [ "${res[$size|$job|ctlconv]:-FAIL}" = FAIL ] || cmp -s "$work/out/$job.ctlconv" "$in/big.csv" ||
        note "$job at $size rows: ctlconv's output DIFFERS from the CSV the input was made from"
}
cell() {   # the "TIME, MEMORY" cell of res[$1]
    case ${res[$1]:-} in
    '') echo "—" ;; FAIL) echo "failed" ;;
    *) set -- ${res[$1]}; echo "$(fmt_s "$1"), $(fmt_mb "$2")" ;;
    esac
}

# --- inputs --------------------------------------------------------------------
mkdir -p "$work/out"
"$bin" -q -t csv "$seed" >"$work/seed.csv"
[ "$(wc -l <"$work/seed.csv")" = 161 ] || { echo "bench: the seed is not 160 one-line rows" >&2; exit 1; }
make_inputs() {   # the seed's 160 rows repeated to $size rows, then the other forms
    local d=$work/in-$size
    mkdir -p "$d"
    if [ ! -s "$d/big.csv" ]; then
        {
            head -1 "$work/seed.csv"
            tail -n +2 "$work/seed.csv" >"$work/rows"
            for ((i = 0; i < size / 160; i++)); do cat "$work/rows"; done
            head -n $((size % 160)) "$work/rows"
        } >"$d/big.csv.tmp"
        mv "$d/big.csv.tmp" "$d/big.csv"
    fi
    in=$d
    lim=()
    if [ "$size" -ge 900000 ]; then
        lim=(--limit items=$((size + 1000)) --limit input-size=4G --limit zip-entry-size=2G --limit zip-total-size=4G)
        note "at $size rows ctlconv runs with ${lim[*]} (the defaults: 1,000,000 items, 256 MB of input, 256 MB of one XLSX part inflated, 1 GB of all)"
    fi
    ctl=("$bin" -q "${lim[@]}")
    run_ctl() { "${ctl[@]}" "$@"; }
    [ -s "$d/big-cp932.csv" ] || run_ctl --output-encoding cp932 -t csv -o "$d/big-cp932.csv" "$d/big.csv"
    [ -s "$d/big.jsonl" ] || run_ctl -t jsonl -o "$d/big.jsonl" "$d/big.csv"
    [ -s "$d/big.txt" ] || run_ctl -t text -o "$d/big.txt" "$d/big.csv"
    if ! have mlr; then :; elif [ ! -s "$d/flat.jsonl" ]; then mlr --icsv --ojsonl cat "$d/big.csv" >"$d/flat.jsonl"; fi
    if [ "$size" -lt "$xlsx_rows" ] && [ ! -s "$d/big.xlsx" ]; then run_ctl -t xlsx -o "$d/big.xlsx" "$d/big.csv"; fi
    say "$size rows: $(mb "$d/big.csv") of UTF-8 CSV"
}
cat >"$work/xw.py" <<'PY'
# CSV -> XLSX with xlsxwriter's constant_memory mode (rows streamed to disk)
import csv, sys, xlsxwriter
wb = xlsxwriter.Workbook(sys.argv[2], {'constant_memory': True})
ws = wb.add_worksheet()
with open(sys.argv[1], encoding='utf-8', newline='') as f:
    for r, row in enumerate(csv.reader(f)):
        for c, v in enumerate(row):
            ws.write_string(r, c, v)
wb.close()
PY
have_xlsxwriter() { /usr/bin/python3 -c 'import xlsxwriter' 2>/dev/null; }

# --- the jobs --------------------------------------------------------------------
# Each measures ctlconv, then its peers, on $in (the inputs at $size rows).
no_sheet() {
    [ "$size" -ge "$xlsx_rows" ] || return 1
    note "$job at $size rows: skipped: a worksheet holds 1,048,576 rows (header included); ctlconv refuses more ([fixed-limit], exit 1), it does not truncate"
}
job_csv_xlsx() {
    no_sheet && return 0
    measure ctlconv ctlconv "${ctl[@]}" -f csv -t xlsx -o "$work/c.xlsx" "$in/big.csv"
    if have_xlsxwriter; then
        measure xlsxwriter "Python xlsxwriter (constant_memory)" /usr/bin/python3 "$work/xw.py" "$in/big.csv" "$work/p.xlsx"
    else note "$job: Python xlsxwriter skipped: python3-xlsxwriter is not installed"; fi
    # 44,34,76: comma, double quote, UTF-8
    measure libreoffice "LibreOffice headless" soffice -env:UserInstallation=file://"$work/lo-profile" --headless \
        --infilter=CSV:44,34,76 --convert-to xlsx --outdir "$work/lo" "$in/big.csv"
}
job_xlsx_csv() {
    no_sheet && return 0
    measure ctlconv ctlconv "${ctl[@]}" -f xlsx -t csv "$in/big.xlsx"
    same_csv
    measure xlsx2csv xlsx2csv xlsx2csv "$in/big.xlsx"
    measure csvkit "csvkit in2csv" in2csv "$in/big.xlsx"
}
job_csv_json() {
    measure ctlconv ctlconv "${ctl[@]}" -f csv -t json "$in/big.csv"
    measure mlr "mlr --icsv --ojson" mlr --icsv --ojson cat "$in/big.csv"
    measure csvkit "csvkit csvjson" csvjson "$in/big.csv"
}
job_csv_cp932() {
    measure ctlconv ctlconv "${ctl[@]}" -f csv -t csv --output-encoding cp932 "$in/big.csv"
    have iconv || { note "$job: mlr | iconv skipped: iconv is not installed"; return 0; }
    measure mlr "mlr --csv cat \\| iconv -t cp932" sh -c 'mlr --csv cat "$1" | iconv -f UTF-8 -t cp932' sh "$in/big.csv"
}
job_cp932_csv() {
    measure ctlconv ctlconv "${ctl[@]}" -f csv -t csv --encoding cp932 "$in/big-cp932.csv"
    same_csv
    have iconv || { note "$job: iconv | mlr skipped: iconv is not installed"; return 0; }
    measure mlr "iconv -f cp932 \\| mlr --csv cat" sh -c 'iconv -f cp932 -t utf-8 "$1" | mlr --csv cat' sh "$in/big-cp932.csv"
}
job_csv_jsonl() {
    measure ctlconv ctlconv "${ctl[@]}" -f csv -t jsonl "$in/big.csv"
    measure mlr "mlr --icsv --ojsonl" mlr --icsv --ojsonl cat "$in/big.csv"
}
job_jsonl_csv() {   # miller reads its own flat JSON Lines of the same rows
    measure ctlconv ctlconv "${ctl[@]}" -f jsonl -t csv "$in/big.jsonl"
    same_csv
    measure mlr "mlr --ijsonl --ocsv (its own JSONL)" mlr --ijsonl --ocsv cat "$in/flat.jsonl"
}
job_text_csv() {    # no other tool reads the text layout
    measure ctlconv ctlconv "${ctl[@]}" -f text -t csv "$in/big.txt"
    same_csv
}
job_batch() {       # 1,000 seed-sized files, whatever -s says
    local d=$work/batch
    if [ ! -d "$d/in" ]; then
        mkdir -p "$d/in"
        for ((i = 0; i < 1000; i++)); do cp "$seed" "$d/in/seed-$i.txt"; done
        "$bin" -q -t xlsx -o "$d/seed.xlsx" "$seed"
        mkdir -p "$d/xin"
        for ((i = 0; i < 1000; i++)); do cp "$d/seed.xlsx" "$d/xin/seed-$i.xlsx"; done
    fi
    pre='rm -rf "$work/batch/out"; mkdir "$work/batch/out"'
    if "$bin" --help 2>&1 | grep -Eq '^ +-d[ ,]'; then
        measure ctlconv "ctlconv -j 2 -d (one run)" sh -c '"$1" -q -j 2 -t csv -d "$2/out" "$2"/in/*.txt' sh "$bin" "$d"
        [ "${res[$size|$job|ctlconv]:-FAIL}" = FAIL ] || { [ "$(ls "$d/out" | wc -l)" = 1000 ] &&
            cmp -s "$d/out/seed-999.csv" "$work/seed.csv"; } || note "batch: ctlconv -d did not write the 1,000 outputs expected"
    else
        note "batch: ctlconv -d skipped: this ctlconv has no batch mode (no -d in --help)"
    fi
    measure loop "shell loop of ctlconv" sh -c 'for f in "$2"/in/*.txt; do
        "$1" -q -t csv -o "$2/out/${f##*/}.csv" "$f" || exit 1; done' sh "$bin" "$d"
    measure xlsx2csv "shell loop of xlsx2csv (XLSX)" sh -c 'for f in "$1"/xin/*.xlsx; do
        xlsx2csv "$f" >"$1/out/${f##*/}.csv" || exit 1; done' sh "$d"
    pre=
}
all_jobs=(csv-xlsx xlsx-csv csv-json csv-cp932 cp932-csv csv-jsonl jsonl-csv text-csv batch)
declare -A title=([csv-xlsx]="CSV → XLSX" [xlsx-csv]="XLSX → CSV" [csv-json]="CSV → JSON"
    [csv-cp932]="CSV → CP932 CSV" [cp932-csv]="CP932 CSV → CSV" [csv-jsonl]="CSV → JSON Lines"
    [jsonl-csv]="JSON Lines → CSV" [text-csv]="text layout → CSV" [batch]="1,000 seed files → CSV")

# --- the machine ---------------------------------------------------------------
version() { "$@" 2>&1 | head -1 | tr -s ' \t' ' ' | cut -c1-60; }
commas() { echo "$1" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta'; }
machine() {
    local v=("ctlconv $(version "$bin" --version | sed 's/^ctlconv //')")
    have mlr && v+=("$(version mlr --version)")
    have xlsx2csv && v+=("xlsx2csv $(version xlsx2csv --version)")
    have in2csv && v+=("csvkit $(version in2csv --version | sed 's/^in2csv //')")
    have_xlsxwriter && v+=("$(/usr/bin/python3 -c 'import sys, xlsxwriter; print("Python", sys.version.split()[0], "xlsxwriter", xlsxwriter.__version__)')")
    have soffice && v+=("$(version soffice --version | cut -d' ' -f1-2)")
    have iconv && v+=("$(version iconv --version)")
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'),"\
        "$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM,"\
        "Debian $(cat /etc/debian_version 2>/dev/null || echo ?); load average at the start: $load."
    echo
    local IFS=';'
    echo "Tools: ${v[*]}." | sed 's/;/; /g'
    echo
    echo "Each command run $runs times: the best wall time and the largest peak RSS (/usr/bin/time %e %M;"\
        "a pipeline is timed as one \`sh -c\`, its peak memory is its largest process's)."
}

# --- run -------------------------------------------------------------------------
load=$(cut -d' ' -f1-3 /proc/loadavg)
IFS=, read -r -a size_list <<<"$sizes"
pre=
[ "$jobs" != batch ] || size_list=()
for size in "${size_list[@]}"; do
    make_inputs
    for job in "${all_jobs[@]}"; do
        [ "$job" = batch ] && continue
        if listed "$jobs" "$job"; then "job_${job//-/_}"; fi
    done
done
if listed "$jobs" batch; then size=1000x160 job=batch; job_batch; fi

# --- report: one Markdown table per size, then linearity -------------------------
echo "## Benchmark: ctlconv and the tools a user would pick instead"
echo
machine
echo
report() {   # report SIZE TITLE: the table of the jobs run at SIZE
    local s=$1 j t k ctl n
    echo "### $2"
    echo
    echo "| job | ctlconv | instead | its time, peak memory | time ratio (it ÷ ctlconv) |"
    echo "|---|---|---|---|---|"
    for j in "${all_jobs[@]}"; do
        [ "$j" != batch ] || continue
        ctl=${res[$s|$j|ctlconv]:-} n=0
        for k in "${order[@]}"; do
            t=${k#*|}
            [[ $k == "$j|"* && $t != ctlconv && -n ${res[$s|$k]:-} ]] || continue
            printf '| %s | %s | %s | %s | %s |\n' "${title[$j]}" "$(cell "$s|$j|ctlconv")" "${label[$k]}" "$(cell "$s|$k")" \
                "$([[ $ctl == [0-9]* && ${res[$s|$k]} == [0-9]* ]] && ratio "${res[$s|$k]%% *}" "${ctl%% *}" || echo —)"
            n=$((n + 1))
        done
        # ctlconv alone: the text layout, or peers skipped
        [ "$n" -gt 0 ] || [ -z "$ctl" ] || printf '| %s | %s | — | — | — |\n' "${title[$j]}" "$(cell "$s|$j|ctlconv")"
    done
    echo
}
for size in "${size_list[@]}"; do
    report "$size" "$(commas "$size") rows ($(mb "$work/in-$size/big.csv") of CSV)"
done
if listed "$jobs" batch; then
    echo "### 1,000 seed-sized files (160 rows each) to CSV"
    echo
    b=${res[1000x160|batch|ctlconv]:-} base="ctlconv -d"
    [[ $b == [0-9]* ]] || b=${res[1000x160|batch|loop]:-} base="the shell loop of ctlconv"
    echo "| how | time, peak memory | time ratio (it ÷ $base) |"
    echo "|---|---|---|"
    for t in ctlconv loop xlsx2csv; do
        [ -n "${label[batch|$t]:-}" ] || continue
        r=${res[1000x160|batch|$t]:-}
        printf '| %s | %s | %s |\n' "${label[batch|$t]}" "$(cell "1000x160|batch|$t")" \
            "$([[ $b == [0-9]* && $r == [0-9]* ]] && ratio "${r%% *}" "${b%% *}" || echo —)"
    done
    echo
fi
if [ "${#size_list[@]}" -gt 1 ]; then
    lo=${size_list[0]} hi=${size_list[${#size_list[@]} - 1]}
    echo "### Linearity: time at $(commas "$hi") rows ÷ time at $(commas "$lo") rows ($(awk -v a="$hi" -v b="$lo" 'BEGIN { printf "%g", a / b }') = linear)"
    echo
    for k in "${order[@]}"; do
        a=${res[$lo|$k]:-} b=${res[$hi|$k]:-}
        [[ $a == [0-9]* && $b == [0-9]* ]] || continue
        printf -- '- %s, %s: %s (%s → %s; peak memory %s → %s)\n' "${title[${k%%|*}]}" "${label[$k]}" \
            "$(ratio "${b%% *}" "${a%% *}")" "$(fmt_s "${a%% *}")" "$(fmt_s "${b%% *}")" "$(fmt_mb "${a#* }")" "$(fmt_mb "${b#* }")"
    done
    echo
fi
if [ "${#notes[@]}" -gt 0 ]; then
    echo "Notes:"
    echo
    printf -- '- %s\n' "${notes[@]}" | awk '!seen[$0]++'
fi
