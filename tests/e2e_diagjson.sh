#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of --diagnostics json (issue 14): every warning and error
# one JSON object a line on standard error, with code, severity, file, line,
# item, message and hint; usage errors too; standard output untouched.
#   tests/e2e_diagjson.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
py=/usr/bin/python3

# jcheck NAME FILE PYTHON: PYTHON (given recs, the JSON objects of FILE's
# lines) raises nothing
jcheck() {
    local name=$1 file=$2 code=$3
    if $py -c "
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
keys = {'code', 'severity', 'file', 'line', 'item', 'message', 'hint'}
$code" "$file" >"$work/py" 2>&1; then ok "$name"; else ko "$name" "$(tail -3 "$work/py"; head -c 400 "$file")"; fi
}

# --- a conversion with warnings ------------------------------------------------
"$bin" --diagnostics json -t csv "$seed" >"$work/json.csv" 2>"$work/err"
rc=$?
[ $rc = 0 ] && ok "json diagnostics: exit 0 as in text mode" || ko "json diagnostics: exit 0 as in text mode" "exit $rc"
jcheck "every line is an object with the seven fields" "$work/err" "
assert recs and all(set(r) == keys for r in recs), recs
assert all(r['severity'] == 'warning' for r in recs), recs"
jcheck "the seed's stray header: code, file, line 10, item II.1" "$work/err" "
r = [r for r in recs if r['code'] == 'stray-header'][0]
assert r['file'].endswith('mic-cloud-guideline-v3-annex2-provider.txt') and r['line'] == 10 and r['item'] == 'II.1', r
assert '公開回答' in r['message'] and '[' not in r['message'], r"
"$bin" -t csv "$seed" >"$work/text.csv" 2>"$work/text.err"
cmp -s "$work/json.csv" "$work/text.csv" && ok "standard output the same as in text mode" ||
    ko "standard output the same as in text mode"
[ "$(wc -l <"$work/err")" = "$(grep -c 'warning:' "$work/text.err")" ] &&
    ok "as many objects as text mode prints warnings" || ko "as many objects as text mode prints warnings"
"$bin" -q --diagnostics json -t csv "$seed" >/dev/null 2>"$work/err"
[ ! -s "$work/err" ] && ok "-q: no warning objects" || ko "-q: no warning objects" "$(head -3 "$work/err")"

# --- errors and their hints ------------------------------------------------------
printf 'this is no control list\n' >"$work/broken.csv"
"$bin" --diagnostics json -t json "$work/broken.csv" >/dev/null 2>"$work/err"
rc=$?
[ $rc = 1 ] && ok "an unrecognised input: exit 1" || ko "an unrecognised input: exit 1" "exit $rc"
jcheck "the error: code, severity, file and the hint in words of the program" "$work/err" "
assert len(recs) == 1, recs
r = recs[0]
assert (r['code'], r['severity'], r['line']) == ('unrecognised-input', 'error', 0), r
assert r['file'].endswith('broken.csv') and r['hint'] == 'say which with -f FORMAT', r"
"$bin" -q --diagnostics json --limit items=100 -t json "$seed" >/dev/null 2>"$work/err"
rc=$?
jcheck "a limit: code limit, its hint names --limit items=N" "$work/err" "
assert [r['code'] for r in recs] == ['limit'], recs
assert recs[0]['hint'] == 'raise it with --limit items=N' and recs[0]['severity'] == 'error', recs"
[ $rc = 1 ] && ok "a limit: exit 1" || ko "a limit: exit 1" "exit $rc"
"$bin" --diagnostics json -t csv --sheet 2 "$seed" >/dev/null 2>"$work/err"
rc=$?
jcheck "an option that does not apply to the detected input: bad-argument with the file" "$work/err" "
r = [r for r in recs if r['severity'] == 'error']
assert len(r) == 1 and r[0]['code'] == 'bad-argument' and '--sheet' in r[0]['message'], recs
assert r[0]['file'].endswith('.txt'), r"
[ $rc = 2 ] && ok "an option that does not apply: exit 2" || ko "an option that does not apply: exit 2" "exit $rc"

# --- usage errors -------------------------------------------------------------------
"$bin" --diagnostics json -t docx "$seed" >/dev/null 2>"$work/err"
rc=$?
jcheck "a usage error is an object too (bad-argument)" "$work/err" "
assert len(recs) == 1 and recs[0]['code'] == 'bad-argument' and 'docx' in recs[0]['message'], recs
assert recs[0]['hint'] == 'see ctlconv --help', recs"
[ $rc = 2 ] && ok "a usage error: exit 2" || ko "a usage error: exit 2" "exit $rc"
"$bin" -t docx --diagnostics=json "$seed" >/dev/null 2>"$work/err"
jcheck "--diagnostics=json after the faulty option: still JSON" "$work/err" "assert recs[0]['code'] == 'bad-argument'"
"$bin" --diagnostics xml -t csv "$seed" >/dev/null 2>"$work/err"
rc=$?
[ $rc = 2 ] && grep -qF -- "--diagnostics takes text or json" "$work/err" && ok "--diagnostics xml: usage error" ||
    ko "--diagnostics xml: usage error" "exit $rc: $(cat "$work/err")"

# --- strings escaped: a file name with a quote, a backslash and a tab ---------------
odd="$work/a \"q\" \\ b	c.csv"
printf 'this is no control list\n' >"$odd"
"$bin" --diagnostics json -t json "$odd" >/dev/null 2>"$work/err"
jcheck "a file name with a quote, backslash and tab comes back whole" "$work/err" "
assert recs[0]['file'].endswith('a \"q\" \\\\ b\tc.csv'), recs"

bad=$(printf '%s/bad\377name.csv' "$work")
printf 'this is no control list\n' >"$bad"
"$bin" --diagnostics json -t json "$bad" >/dev/null 2>"$work/err"
jcheck "a file name that is no UTF-8: still JSON, the byte as U+FFFD" "$work/err" "
assert recs[0]['file'].endswith('bad\ufffdname.csv'), recs"

# --- batch mode: diagnostics, then the input's record ------------------------------
"$bin" --diagnostics json -t json -d "$work/out" -j 1 "$seed" "$work/broken.csv" >"$work/out.txt" 2>"$work/err"
rc=$?
[ $rc = 1 ] && [ ! -s "$work/out.txt" ] && ok "batch: exit 1, standard output empty" || ko "batch: exit 1, standard output empty" "exit $rc"
jcheck "batch: an input's diagnostics come before its record; the summary last" "$work/err" "
kinds = [r.get('record', 'diag') for r in recs]
assert kinds[-1] == 'summary' and kinds.count('input') == 2, kinds
for i, r in enumerate(recs):
    if r.get('record') == 'input' and r['status'] == 'failed':
        assert recs[i - 1]['code'] == r['code'] == 'unrecognised-input', recs[i - 1:i + 1]
assert all(set(r) == keys for r in recs if 'record' not in r), recs"
finish
