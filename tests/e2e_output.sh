#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of where ctlconv's output goes and what it leaves behind:
# closed and redirected standard output, descriptors, signals, symbolic
# links, owners, long names, $TMPDIR, a file that changes while it is read,
# the input limit's memory, an empty -o.
#   tests/e2e_output.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=$PWD/samples/mic-cloud-guideline-v3-annex2-provider.txt
chmod 755 "$work"
"$bin" -q -t csv "$seed" >"$work/seed.csv" || ko "seed converts"
lines=$(wc -l <"$work/seed.csv")

# --- closed and redirected standard output -------------------------------
mkdir "$work/closed" && cd "$work/closed"
"$bin" -q -t csv "$seed" >&- 2>"$work/err"
rc=$?
check "closed standard output: exit 3" '[ $rc = 3 ] && grep -q "standard output is closed" "$work/err"' "exit $rc: $(cat "$work/err")"
check "closed standard output: no file made in its place" '[ -z "$(ls -A)" ]' "$(ls -A)"
"$bin" -q -t csv -o - "$seed" 1>&- 2>/dev/null; rc=$?
check "closed standard output, -o -: exit 3" '[ $rc = 3 ]' "exit $rc"
"$bin" -q -t csv -o "$work/closed.csv" "$seed" >&-; rc=$?
check "closed standard output, -o FILE still works" '[ $rc = 0 ] && cmp -s "$work/closed.csv" "$work/seed.csv"' "exit $rc"
"$bin" -q -t csv <&- >/dev/null 2>"$work/err"; rc=$?
check "closed standard input: exit 3" '[ $rc = 3 ] && grep -q "standard input is closed" "$work/err"' "exit $rc: $(cat "$work/err")"
cd - >/dev/null

echo "old line" >"$work/log.csv"
"$bin" -q -t csv -o /dev/stdout "$seed" >>"$work/log.csv"; rc=$?
check "-o /dev/stdout >> log appends" '[ $rc = 0 ] && [ "$(head -1 "$work/log.csv")" = "old line" ] && [ "$(wc -l <"$work/log.csv")" = $((lines + 1)) ]' \
    "exit $rc, $(wc -l <"$work/log.csv") lines"
"$bin" -q -t csv -o - "$seed" >>"$work/log.csv"
check "-o - >> log appends" '[ "$(wc -l <"$work/log.csv")" = $((2 * lines + 1)) ]'
out=$("$bin" -q -t csv -o /dev/stdout "$seed" | cat | wc -l)
check "-o /dev/stdout into a pipe" '[ "$out" = "$lines" ]' "$out lines"
out=$("$bin" -q -t csv -o /proc/self/fd/1 "$seed" | cat | wc -l)
check "-o /proc/self/fd/1 into a pipe" '[ "$out" = "$lines" ]' "$out lines"
echo "first" >"$work/fd3.csv"
"$bin" -q -t csv -o /dev/fd/3 "$seed" 3>>"$work/fd3.csv"; rc=$?
check "-o /dev/fd/3 3>>file appends" '[ $rc = 0 ] && [ "$(wc -l <"$work/fd3.csv")" = $((lines + 1)) ]' "exit $rc"
"$bin" -q -t csv -o /dev/fd/9 "$seed" 2>"$work/err"; rc=$?
check "-o /dev/fd/9 not open: exit 3" '[ $rc = 3 ] && grep -q "descriptor 9 is not open" "$work/err"' "exit $rc: $(cat "$work/err")"
# other spellings of a descriptor, and the file a standard descriptor holds
echo "old line" >"$work/log2.csv"
"$bin" -q -t csv -o /dev/./stdout "$seed" >>"$work/log2.csv"; rc=$?
check "-o /dev/./stdout >> log appends" '[ $rc = 0 ] && [ "$(head -1 "$work/log2.csv")" = "old line" ] && [ "$(wc -l <"$work/log2.csv")" = $((lines + 1)) ]' \
    "exit $rc, $(wc -l <"$work/log2.csv") lines"
ln -s /dev/stdout "$work/to-stdout"
echo "old line" >"$work/log3.csv"
"$bin" -q -t csv -o "$work/to-stdout" "$seed" >>"$work/log3.csv"; rc=$?
check "-o LINK-TO-/dev/stdout >> log appends" '[ $rc = 0 ] && [ "$(head -1 "$work/log3.csv")" = "old line" ] && [ "$(wc -l <"$work/log3.csv")" = $((lines + 1)) ]' \
    "exit $rc, $(wc -l <"$work/log3.csv") lines"
out=$("$bin" -q -t csv -o "$work/to-stdout" "$seed" 2>"$work/err" | cat | wc -l)
check "-o LINK-TO-/dev/stdout into a pipe" '[ "$out" = "$lines" ]' "$out lines: $(cat "$work/err")"
ln -s /dev/fd/3 "$work/to-fd3"
echo "first" >"$work/fd3b.csv"
"$bin" -q -t csv -o "$work/to-fd3" "$seed" 3>>"$work/fd3b.csv"; rc=$?
check "-o LINK-TO-/dev/fd/3 3>>file appends" '[ $rc = 0 ] && [ "$(head -1 "$work/fd3b.csv")" = first ] && [ "$(wc -l <"$work/fd3b.csv")" = $((lines + 1)) ]' "exit $rc"
echo "old line" >"$work/log4.csv"
"$bin" -q -t csv -o "$work/log4.csv" "$seed" >>"$work/log4.csv"; rc=$?
check "-o FILE >> FILE: the file standard output holds is appended to, not replaced" \
    '[ $rc = 0 ] && [ "$(head -1 "$work/log4.csv")" = "old line" ] && [ "$(wc -l <"$work/log4.csv")" = $((lines + 1)) ]' \
    "exit $rc, $(wc -l <"$work/log4.csv") lines"
"$bin" -q -t csv -o /dev/./stdout "$seed" >&- 2>"$work/err"; rc=$?
check "-o /dev/./stdout with standard output closed: exit 3" '[ $rc = 3 ]' "exit $rc: $(cat "$work/err")"
"$bin" -q -t csv -o /dev/null "$seed" >&- 2>"$work/err"; rc=$?
check "-o /dev/null with standard output closed still works" '[ $rc = 0 ]' "exit $rc: $(cat "$work/err")"

# --- -o '' ----------------------------------------------------------------
mkfifo "$work/never.fifo"   # nobody writes it: reading it would hang
timeout 10 "$bin" -q -t csv -o '' "$work/never.fifo" 2>"$work/err"; rc=$?
check "-o '' is a usage error before the input is read" '[ $rc = 2 ] && grep -q "needs a file name" "$work/err"' "exit $rc: $(cat "$work/err")"
timeout 10 "$bin" -q -t csv -o "$work/never.fifo" '' 2>"$work/err"; rc=$?
check "an input named '' is a usage error before the output is opened" '[ $rc = 2 ] && grep -q "needs a file name" "$work/err"' "exit $rc: $(cat "$work/err")"

# gen_csv ROWS: a list whose cells are random hex (XLSX compresses it little)
gen_csv() {
    awk -v n="$1" 'BEGIN { srand(11); print "id,title,description,category"
        for (i = 1; i <= n; i++) { d = ""; for (j = 0; j < 12; j++) d = d sprintf("%08x ", int(rand() * 4294967296))
            printf "II.1.1.%d,title %d,%s,基本\n", i, i, d } }'
}
gen_csv 2000 >"$work/mid.csv"     # its workbook is over a pipe's 64 KiB
gen_csv 24000 >"$work/big.csv"    # over 2000 KiB as CSV and as a sheet

# --- signals ----------------------------------------------------------------
# ctlconv is held at a known point: reading a FIFO (its output file is
# staged beside the target by then), or writing a workbook larger than a
# pipe holds to a FIFO opened but not read (the workbook is in $TMPDIR
# until it is all written).  $TMPDIR is private.
ulimit -c 0
tmp="$work/t"
mkdir "$tmp"
# wait_for DIR: until DIR holds a file (5 s at most)
wait_for() { for _ in $(seq 100); do [ -n "$(ls -A "$1")" ] && return 0; sleep 0.05; done; return 1; }
set -m   # background jobs keep SIGINT and SIGQUIT (not ignored as without job control)
for sig in INT TERM HUP QUIT; do
    num=$(kill -l "$sig")
    mkdir -p "$work/sig-$sig"
    rm -f "$work/in.fifo" && mkfifo "$work/in.fifo"
    TMPDIR=$tmp "$bin" -q -t csv -o "$work/sig-$sig/out.csv" "$work/in.fifo" 2>/dev/null &
    pid=$!
    exec 3>"$work/in.fifo"
    head -c 2000 "$seed" >&3
    seen=no; wait_for "$work/sig-$sig" && seen=yes
    kill -s "$sig" "$pid"
    wait "$pid"; rc=$?
    exec 3>&-
    check "SIG$sig mid-read: killed by it, no temporary file beside the target" \
        '[ $seen = yes ] && [ $rc = $((128 + num)) ] && [ -z "$(ls -A "$work/sig-$sig")$(ls -A "$tmp")" ]' \
        "staged: $seen, exit $rc, left: $(ls -A "$work/sig-$sig") $(ls -A "$tmp")"

    rm -f "$work/out.fifo" && mkfifo "$work/out.fifo"
    TMPDIR=$tmp "$bin" -q -f csv -t xlsx -o "$work/out.fifo" "$work/mid.csv" 2>/dev/null &
    pid=$!
    exec 4<"$work/out.fifo"
    seen=no; wait_for "$tmp" && seen=yes
    kill -s "$sig" "$pid"
    wait "$pid"; rc=$?
    exec 4<&-
    check "SIG$sig while the workbook waits in \$TMPDIR: killed by it, nothing left there" \
        '[ $seen = yes ] && [ $rc = $((128 + num)) ] && [ -z "$(ls -A "$tmp")" ]' \
        "in TMPDIR: $seen, exit $rc, left: $(ls -A "$tmp")"
done 2>/dev/null   # (the shell's notes on killed jobs)
set +m

# --- a file size limit --------------------------------------------------------
# SIGXFSZ is ignored: a write over `ulimit -f` fails (EFBIG), exit 3, and the
# temporary files go as after any error.
for t in csv xlsx; do
    mkdir -p "$work/fsz-$t"
    (ulimit -f 2000; TMPDIR=$tmp exec "$bin" -q -f csv -t $t -o "$work/fsz-$t/o.$t" "$work/big.csv") 2>"$work/err"; rc=$?
    check "ulimit -f below the $t output: exit 3, nothing left beside the target or in \$TMPDIR" \
        '[ $rc = 3 ] && [ -z "$(ls -A "$work/fsz-$t")$(ls -A "$tmp")" ]' \
        "exit $rc: $(cat "$work/err"); left: $(ls -A "$work/fsz-$t") $(ls -A "$tmp")"
done

# --- $TMPDIR ---------------------------------------------------------------
missing="$work/no-such-directory-and-a-name-longer-than-sixty-characters-$(printf 'y%.0s' {1..10})"
for t in csv xlsx; do
    TMPDIR=$missing "$bin" -q -t $t "$seed" >/dev/null 2>"$work/err"; rc=$?
    check "\$TMPDIR of 60+ characters is used ($t to standard output)" \
        '[ $rc = 3 ] && grep -q "cannot create a temporary .* in $missing" "$work/err"' "exit $rc: $(cat "$work/err")"
done
long="$work/tmpdir-of-a-length-well-beyond-forty-characters-$(printf 'x%.0s' {1..30})"
mkdir "$long"
rm -f "$work/out.fifo" && mkfifo "$work/out.fifo"
TMPDIR=$long "$bin" -q -f csv -t xlsx -o "$work/out.fifo" "$work/mid.csv" &
pid=$!
exec 4<"$work/out.fifo"
seen=no; wait_for "$long" && seen=yes
cat <&4 >"$work/t.xlsx"
exec 4<&-
wait "$pid"; rc=$?
"$bin" -q -t csv "$work/mid.csv" >"$work/mid.ref.csv"
check "a long \$TMPDIR holds the workbook while it is made, and is left empty" \
    '[ $seen = yes ] && [ $rc = 0 ] && [ -z "$(ls -A "$long")" ] && "$bin" -q -t csv "$work/t.xlsx" | cmp -s - "$work/mid.ref.csv"' \
    "seen: $seen, exit $rc, left: $(ls -A "$long")"
TMPDIR=$tmp "$bin" -q -t xlsx -o "$work/t.xlsx" "$seed"; rc=$?
check "\$TMPDIR is left empty" '[ $rc = 0 ] && [ -z "$(ls -A "$tmp")" ]' "exit $rc"

# --- names ---------------------------------------------------------------
for n in 244 255; do
    name=$(printf 'n%.0s' $(seq $((n - 4)))).csv
    mkdir "$work/long$n"
    "$bin" -q -t csv -o "$work/long$n/$name" "$seed" 2>"$work/err"; rc=$?
    check "a $n-byte output name" '[ $rc = 0 ] && cmp -s "$work/long$n/$name" "$work/seed.csv" && [ "$(ls -A "$work/long$n" | wc -l)" = 1 ]' \
        "exit $rc: $(cat "$work/err")"
done

# --- symbolic links and owners (as root) ------------------------------------
if [ "$(id -u)" != 0 ] || ! id nobody >/dev/null 2>&1; then
    echo "NOTE symbolic link and owner checks need root and user nobody: skipped"
else
    mkdir -m 1777 "$work/shared"
    echo "victim" >"$work/victim"
    ln -s "$work/victim" "$work/shared/report.csv"
    chown -h nobody "$work/shared/report.csv"
    "$bin" -q -t csv -o "$work/shared/report.csv" "$seed" 2>"$work/err"; rc=$?
    check "a link planted by another user in a sticky directory is refused" \
        '[ $rc = 3 ] && grep -q "refusing to follow a symbolic link" "$work/err" && [ "$(cat "$work/victim")" = victim ] && [ -L "$work/shared/report.csv" ]' \
        "exit $rc: $(cat "$work/err"); victim: $(head -c 40 "$work/victim")"
    ln -s "$work/victim" "$work/shared/mine.csv"
    "$bin" -q -t csv -o "$work/shared/mine.csv" "$seed"; rc=$?
    check "our own link in a sticky directory is followed" \
        '[ $rc = 0 ] && cmp -s "$work/victim" "$work/seed.csv" && [ -L "$work/shared/mine.csv" ]' "exit $rc"
    ls -A "$work/shared" | grep -q '\.tmp$' && ko "no temporary file left in the sticky directory"

    # every component: a link to a directory is a link like any other
    mkdir "$work/elsewhere"
    ln -s "$work/elsewhere" "$work/shared/reports"
    chown -h nobody "$work/shared/reports"
    "$bin" -q -t csv -o "$work/shared/reports/report.csv" "$seed" 2>"$work/err"; rc=$?
    check "a directory link planted by another user in a sticky directory is refused" \
        '[ $rc = 3 ] && grep -q "refusing to follow a symbolic link" "$work/err" && [ -z "$(ls -A "$work/elsewhere")" ]' \
        "exit $rc: $(cat "$work/err"); in the target directory: $(ls -A "$work/elsewhere")"
    mkdir "$work/plain"
    ln -s "$work/shared/reports" "$work/plain/via"
    "$bin" -q -t csv -o "$work/plain/via/report.csv" "$seed" 2>"$work/err"; rc=$?
    check "... also when reached through another link" \
        '[ $rc = 3 ] && grep -q "refusing to follow a symbolic link" "$work/err" && [ -z "$(ls -A "$work/elsewhere")" ]' \
        "exit $rc: $(cat "$work/err")"
    ln -s "$work/elsewhere" "$work/shared/myreports"
    "$bin" -q -t csv -o "$work/shared/myreports/../elsewhere/./report.csv" "$seed" 2>"$work/err"; rc=$?
    check "our own directory link in a sticky directory is followed (.. from where it leads)" \
        '[ $rc = 0 ] && cmp -s "$work/elsewhere/report.csv" "$work/seed.csv"' "exit $rc: $(cat "$work/err")"
    ln -s "$work/elsewhere" "$work/plain/theirs"
    chown -h nobody "$work/plain/theirs"
    "$bin" -q -t csv -o "$work/plain/theirs/r2.csv" "$seed" 2>"$work/err"; rc=$?
    check "another user's link outside a sticky directory is followed" \
        '[ $rc = 0 ] && cmp -s "$work/elsewhere/r2.csv" "$work/seed.csv"' "exit $rc: $(cat "$work/err")"

    # a FIFO output is opened once, before the input is read: a link put in
    # its place meanwhile is never followed
    echo "victim" >"$work/victim2"
    chmod 600 "$work/victim2"
    mkfifo "$work/shared/rep.csv"
    chown nobody "$work/shared/rep.csv"
    rm -f "$work/in.fifo" && mkfifo "$work/in.fifo"
    timeout 20 cat "$work/shared/rep.csv" >"$work/fifo.out" &
    reader=$!
    timeout 20 "$bin" -q -f text -t csv -o "$work/shared/rep.csv" "$work/in.fifo" 2>"$work/err" &
    pid=$!
    exec 3>"$work/in.fifo"   # returns once ctlconv reads its input
    head -c 2000 "$seed" >&3
    rm "$work/shared/rep.csv"
    ln -s "$work/victim2" "$work/shared/rep.csv"
    chown -h nobody "$work/shared/rep.csv"
    tail -c +2001 "$seed" >&3
    exec 3>&-
    wait "$pid"; rc=$?
    wait "$reader" 2>/dev/null   # cat ends at the FIFO's end: killing it could cut its copy short
    check "a FIFO output swapped for a link while the input is read: the link is not followed" \
        '[ $rc = 0 ] && [ "$(cat "$work/victim2")" = victim ] && cmp -s "$work/fifo.out" "$work/seed.csv"' \
        "exit $rc: $(cat "$work/err"); victim: $(head -c 40 "$work/victim2")"

    echo "theirs" >"$work/owned.csv"
    chown nobody:"$(id -gn nobody)" "$work/owned.csv"
    chmod 640 "$work/owned.csv"
    before=$(stat -c '%U:%G %a' "$work/owned.csv")
    "$bin" -q -t csv -o "$work/owned.csv" "$seed"; rc=$?
    after=$(stat -c '%U:%G %a' "$work/owned.csv")
    check "root replacing a file keeps its owner, group and mode" \
        '[ $rc = 0 ] && [ "$before" = "$after" ] && cmp -s "$work/owned.csv" "$work/seed.csv"' "exit $rc: $before -> $after"
fi

# (a file that changes while it is read: tests/unit/converters/test_output.c)
# --- the input limit's memory ----------------------------------------------
# The buffer grows to the limit + 1 byte, not to the next power of two
# (which doubled the peak).  Not measured on a sanitizer build.
if grep -qa '__asan_init' "$bin"; then
    echo "NOTE memory bounds not measured on a sanitizer build"
elif [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M -o "$work/base" "$bin" -q -t csv "$seed" >/dev/null 2>&1
    base=$(tail -1 "$work/base")
    for limit in 1:1024 16:24576; do   # MiB of input : KiB allowed above the baseline
        /usr/bin/time -f %M -o "$work/zero" "$bin" -q --limit input-size=${limit%:*}M -t csv /dev/zero \
            >/dev/null 2>"$work/err"; rc=$?
        zero=$(tail -1 "$work/zero")
        check "/dev/zero stops at the ${limit%:*}M input limit, under ${limit#*:} KiB above the baseline" \
            '[ $rc = 1 ] && grep -q "larger than the limit" "$work/err" && [ $((zero - base)) -lt ${limit#*:} ]' \
            "exit $rc, ${base} KiB -> ${zero} KiB"
    done
fi

finish
