#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Runs the fuzz harnesses, two at a time, each for SECONDS, starting from the
# corpora kept in tests/fuzz/corpus/ and merging what they find back into
# them (minimised), so later runs start from there.  Crashing inputs land in
# tests/fuzz/crashes/TARGET/; keep each as a regression test.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      (from the project root)
# Long runs by hand, in the background:
#   nohup tests/fuzz/run.sh 1800 > fuzz.log 2>&1 &
set -u
secs=${1:-60}
shift || true
targets=${*:-text csv xml json xlsx_zip xlsx_sheet decode markdown yaml oscal}
build=build-fuzz
if [ ! -x "$build/tests/fuzz/fuzz_text" ]; then
    CC=clang cmake -B "$build" -DCTL_FUZZ=ON -DCTL_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
        cmake --build "$build" -j2 >/dev/null || { echo "fuzz build failed"; exit 1; }
fi
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
run_one() {
    local t=$1 new
    new=$(mktemp -d)
    mkdir -p "tests/fuzz/crashes/$t"
    "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=65536 \
        -artifact_prefix="tests/fuzz/crashes/$t/" -print_final_stats=1 "$new" "tests/fuzz/corpus/$t" \
        >"$new.log" 2>&1
    local rc=$?
    "$build/tests/fuzz/fuzz_$t" -merge=1 "tests/fuzz/corpus/$t" "$new" >/dev/null 2>&1
    local execs cov
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$new.log" | grep -o '[0-9]*$')
    cov=$(grep -o 'cov: [0-9]*' "$new.log" | tail -1 | grep -o '[0-9]*$')
    echo "fuzz_$t: ${secs}s, ${execs:-?} executions, coverage ${cov:-?} edges, exit $rc"
    [ $rc = 0 ] || { grep -E 'ERROR|SUMMARY|Test unit written' "$new.log" | head -5; }
    rm -rf "$new" "$new.log"
    return $rc
}
set -- $targets
while [ $# -gt 0 ]; do
    run_one "$1" & a=$!
    b=
    if [ $# -gt 1 ]; then run_one "$2" & b=$!; fi
    wait $a || status=1
    [ -n "$b" ] && { wait $b || status=1; }
    shift; [ $# -gt 0 ] && shift
done
exit $status
