#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of the scale-out recipes in the README (issue 14), as
# written there: GNU parallel over files (-j), across hosts (--sshlogin with
# --transferfile, --return, --cleanup; the hosts are played by an ssh
# stand-in that runs the "remote" side in a folder of its own here, and by
# the local login ':'), and ctlconv as a JSON Lines filter over chunks of one
# stream (parallel --pipe --header 1, and the streaming mapper given for
# Hadoop and Spark, run here on splits made with split(1)).
#   tests/e2e_scaleout.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
if ! command -v parallel >/dev/null 2>&1; then
    echo "SKIP GNU parallel is not installed (apt-get install parallel; .ci/install-deps test installs it)"
    exit 0
fi
seed=$PWD/samples/mic-cloud-guideline-v3-annex2-provider.txt
# the recipes call ctlconv by name, as on a host where it is installed
mkdir "$work/bin" && ln -s "$bin" "$work/bin/ctlconv"
export PATH=$work/bin:$PATH PARALLEL_HOME=$work/parallel-home
mkdir -p "$PARALLEL_HOME" && touch "$PARALLEL_HOME/will-cite"

# --- many files, -j 2: each output is what a single run writes --------------
mkdir "$work/in" "$work/single" "$work/out"
"$bin" -q -t csv -o "$work/in/a.csv" "$seed"
"$bin" -q -t xlsx -o "$work/in/b.xlsx" "$seed"
"$bin" -q -t jsonl -o "$work/in/c.jsonl" "$seed"
"$bin" -q -t json -o "$work/in/d.json" "$seed"
cp "$seed" "$work/in/e.txt"
"$bin" -q -t tsv -o "$work/in/f.tsv" "$seed"
for f in "$work"/in/*; do n=${f##*/}; "$bin" -q -t csv -o "$work/single/${n%.*}.csv" "$f"; done
(cd "$work/in" && parallel -j 2 ctlconv -q -t csv -o ../out/{.}.csv {} ::: *) >"$work/log" 2>&1
rc=$?
check "parallel -j 2 over 6 inputs of 6 formats: exit 0" '[ $rc = 0 ]' "exit $rc: $(cat "$work/log")"
check "... each output equals a single run's" 'diff -r "$work/single" "$work/out" >/dev/null' "$(diff -rq "$work/single" "$work/out")"

printf 'not a control list\n' >"$work/in/g.csv"
rm -rf "$work/out" && mkdir "$work/out"
(cd "$work/in" && parallel -j 2 --joblog ../jobs ctlconv -q -t csv -o ../out/{.}.csv {} ::: *) >"$work/log" 2>&1
rc=$?
check "one broken input among 7: parallel exits 1 (the number of failed jobs)" '[ $rc = 1 ]' "exit $rc"
check "... the others converted, the broken one wrote nothing" \
    'diff -r "$work/single" "$work/out" >/dev/null && [ ! -e "$work/out/g.csv" ]' "$(ls "$work/out")"
check "... --joblog names it with ctlconv's exit status 1" \
    'awk -F"\t" '\''$7 == 1'\'' "$work/jobs" | grep -q "g.csv" && [ "$(awk -F"\t" '\''NR > 1 && $7 != 0'\'' "$work/jobs" | wc -l)" = 1 ]' \
    "$(cat "$work/jobs")"
check "... and ctlconv's message names the file" 'grep -q "g.csv" "$work/log"' "$(cat "$work/log")"
rm "$work/in/g.csv"

# --- across hosts: --sshlogin, --transferfile, --return, --cleanup ----------
# The ssh stand-in: "ssh [OPTIONS] HOST COMMAND..." runs COMMAND with sh in
# $work/remote/HOST, as sshd would in the login's home, with HOME and SHELL
# set as sshd sets them (CI may run with neither; parallel's remote worker
# execs $SHELL); rsync goes through it too, as through ssh.
if ! command -v rsync >/dev/null 2>&1; then
    echo "SKIP --sshlogin HOST: no rsync (parallel moves files with it; .ci/install-deps test installs it)"
else
    cat >"$work/ssh" <<'EOF'
#!/bin/sh
while [ $# -gt 0 ]; do
    case $1 in -[oplieFJ]) shift 2 ;; -*) shift ;; *) break ;; esac
done
host=$1; shift
[ "${1:-}" = -- ] && shift
echo "$host: $*" >>"$SSH_LOG"
mkdir -p "$SSH_HOMES/$host" && cd "$SSH_HOMES/$host" || exit 255
HOME=$SSH_HOMES/$host SHELL=/bin/sh exec sh -c "$*"
EOF
    chmod +x "$work/ssh"
    export SSH_LOG=$work/ssh.log SSH_HOMES=$work/remote
    rm -rf "$work/out" && mkdir "$work/out" && cp "$work"/in/* "$work/out/"
    (cd "$work/out" && parallel --ssh "$work/ssh" -S 1/host1,1/host2,: --transferfile {} --return {.}.csv --cleanup \
        ctlconv -q -t csv -o {.}.csv {} ::: *.xlsx *.jsonl *.json *.txt *.tsv) >"$work/log" 2>&1
    rc=$?
    check "-S 1/host1,1/host2,: --transferfile --return --cleanup, 5 inputs: exit 0" '[ $rc = 0 ]' "exit $rc: $(cat "$work/log")"
    check "... the outputs came back, equal to single runs" \
        'for n in b c d e f; do cmp -s "$work/single/$n.csv" "$work/out/$n.csv" || exit 1; done' "$(ls "$work/out")"
    check "... inputs went to both hosts through rsync, and came back from them" \
        'for h in host1 host2; do grep -q "^$h: rsync --server -" "$SSH_LOG" && grep -q "^$h: .*rsync --server --sender" "$SSH_LOG" || exit 1; done' \
        "$(cut -c1-120 "$SSH_LOG")"
    check "... --cleanup left nothing on the hosts" '[ -z "$(find "$SSH_HOMES" -type f)" ]' "$(find "$SSH_HOMES" -type f)"
    check "... and the local inputs are still there" '[ -s "$work/out/b.xlsx" ] && [ -s "$work/out/e.txt" ]'
fi
# ':' is this machine, without ssh: parallel runs the command here and
# ignores --transferfile, --return and --cleanup for it (with a warning),
# so the inputs stay and the outputs are written in place.
rm -rf "$work/out" && mkdir "$work/out" && cp "$work"/in/* "$work/out/"
(cd "$work/out" && parallel -S : --transferfile {} --return {.}.csv --cleanup \
    ctlconv -q -t csv -o {.}.csv {} ::: *.xlsx *.jsonl *.txt) >"$work/log" 2>&1
rc=$?
check "-S : (this machine, no ssh) with --transferfile --return --cleanup: exit 0" '[ $rc = 0 ]' "exit $rc: $(cat "$work/log")"
check "... outputs equal to single runs, inputs kept (--cleanup is for remote hosts)" \
    'for n in b c e; do cmp -s "$work/single/$n.csv" "$work/out/$n.csv" || exit 1; done && [ -s "$work/out/b.xlsx" ]' "$(ls "$work/out")"

# --- one JSON Lines stream in chunks: parallel --pipe --header 1 -----------
# 20 copies of the seed's items under distinct ids (3,200 items, 1.4 MB),
# after the metadata line, and the closing unplaced_isms line.
"$bin" -q -t jsonl -o "$work/seed.jsonl" "$seed"
{
    head -1 "$work/seed.jsonl"
    for k in $(seq 20); do
        tail -n +2 "$work/seed.jsonl" |
            sed "s/^{\"id\": \"/{\"id\": \"K$k./; s/\"parent\": \"\([^\"]\)/\"parent\": \"K$k.\1/"
    done
    echo '{"unplaced_isms": ["A.17", "A.18.1"]}'
} >"$work/big.jsonl"
ctlconv -q -f jsonl -t jsonl - <"$work/big.jsonl" >"$work/whole.jsonl" 2>"$work/err"
rc=$?
check "the stream in one run from standard input: exit 0, the same lines out" \
    '[ $rc = 0 ] && cmp -s "$work/big.jsonl" "$work/whole.jsonl"' "exit $rc: $(cat "$work/err")"
# as the README gives it: every chunk gets line 1 (the metadata); the
# copies of it in the outputs after the first are dropped
dedup_meta() { awk 'NR == 1 { first = $0 } NR == 1 || $0 != first'; }
parallel --pipe --header 1 --block 50k -k -j 2 ctlconv -q -f jsonl -t jsonl - \
    <"$work/big.jsonl" 2>"$work/err" | dedup_meta >"$work/chunked.jsonl"
rc=${PIPESTATUS[0]}
chunks=$(grep -c '^{"format": "ctlconv-list"' <(parallel --pipe --header 1 --block 50k -k cat <"$work/big.jsonl"))
check "parallel --pipe --header 1 --block 50k -k -j 2 ($chunks chunks): exit 0" '[ $rc = 0 ] && [ "$chunks" -ge 20 ]' \
    "exit $rc, $chunks chunks: $(cat "$work/err")"
check "... the chunks' outputs, metadata once, equal the single run's" 'cmp -s "$work/whole.jsonl" "$work/chunked.jsonl"' \
    "$(diff "$work/whole.jsonl" "$work/chunked.jsonl" | head -4 | cut -c1-150)"
parallel --pipepart -a "$work/big.jsonl" --header 1 --block 100k -k -j 2 ctlconv -q -f jsonl -t jsonl - \
    2>"$work/err" | dedup_meta >"$work/chunked2.jsonl"
rc=${PIPESTATUS[0]}
check "parallel --pipepart -a FILE --header 1: the same" '[ $rc = 0 ] && cmp -s "$work/whole.jsonl" "$work/chunked2.jsonl"' \
    "exit $rc: $(cat "$work/err")"
# a chunk that ctlconv refuses fails the run (no output lost silently): here
# the last one would be the metadata and the unplaced_isms line alone
{ head -1 "$work/big.jsonl"; tail -1 "$work/big.jsonl"; } | ctlconv -q -f jsonl -t jsonl - >/dev/null 2>"$work/err"
rc=$?
check "a chunk of the metadata and unplaced_isms only: exit 1, [no-rows]" '[ $rc = 1 ] && grep -q "\[no-rows\]" "$work/err"' \
    "exit $rc: $(cat "$work/err")"
parallel --pipe --header 1 --block 1k -j 2 ctlconv -q -f jsonl -t jsonl - \
    < <(head -1 "$work/big.jsonl"; printf '{"id": "1", "title": "a"}\n{"id": "2", "title": oops}\n') >/dev/null 2>"$work/err"
rc=$?
check "a chunk with a broken line: parallel exits non-zero, ctlconv names the line (the chunk's line 3)" \
    '[ $rc != 0 ] && grep -q -- "-:3: .*\[malformed-json\]" "$work/err"' "exit $rc: $(cat "$work/err")"

# --- the streaming mapper (Hadoop streaming -mapper, Spark RDD.pipe) --------
# The engines split the item lines (no metadata line) anywhere between lines
# and give each split to the mapper on standard input; the README's mapper
# puts the metadata line (shipped beside it as meta.jsonl) in front, and
# writes the items only.  The job's output is then the metadata line
# followed by the splits' outputs.
mkdir "$work/task"
cat >"$work/task/ctlconv-map" <<'EOF'
#!/bin/bash
# ctlconv as a streaming mapper: JSON Lines items in, items out.  The list's
# metadata line ships beside it as meta.jsonl.  An empty split writes nothing.
set -o pipefail
IFS= read -r first || exit 0
{ cat "$(dirname "$0")/meta.jsonl"; printf '%s\n' "$first"; cat; } |
    ctlconv -q -f jsonl -t jsonl - | tail -n +2
EOF
chmod +x "$work/task/ctlconv-map"
head -1 "$work/big.jsonl" >"$work/task/meta.jsonl"
tail -n +2 "$work/big.jsonl" >"$work/items.jsonl"
(cd "$work/task" && split -n l/7 "$work/items.jsonl" part-)
rc=0
for p in "$work"/task/part-*; do
    (cd "$work/task" && ./ctlconv-map <"$p" >"$p.out") 2>>"$work/err" || rc=$?
done
{ head -1 "$work/whole.jsonl"; cat "$work"/task/part-*.out; } >"$work/mapped.jsonl"
check "the mapper over 7 splits of the items: exit 0 each; metadata + outputs = the single run" \
    '[ $rc = 0 ] && cmp -s "$work/whole.jsonl" "$work/mapped.jsonl"' "exit $rc: $(cat "$work/err")"
out=$(cd "$work/task" && ./ctlconv-map </dev/null; echo "exit $?")
check "... an empty split: no output, exit 0" '[ "$out" = "exit 0" ]' "$out"
printf '{"id": "1", "title": "a"}\n{"id": "1.1", "title": oops}\n' >"$work/bad.jsonl"
out=$(cd "$work/task" && ./ctlconv-map <"$work/bad.jsonl" 2>"$work/err"; echo "exit $?")
check "... a broken line: the mapper fails (ctlconv's status, not tail's)" '[ "${out##*exit }" != 0 ]' "$out: $(cat "$work/err")"
# Hadoop's TextOutputFormat ends each key-only line with a tab (the empty
# value): JSON takes it as white space, and ctlconv reads it back
sed 's/$/\t/' "$work/mapped.jsonl" | ctlconv -q -f jsonl -t jsonl - >"$work/untabbed.jsonl" 2>"$work/err"
rc=$?
check "lines ending with Hadoop's tab read back the same" '[ $rc = 0 ] && cmp -s "$work/whole.jsonl" "$work/untabbed.jsonl"' \
    "exit $rc: $(cat "$work/err")"
finish
