# SPDX-License-Identifier: BSD-2-Clause
# What every end-to-end script shares, sourced as
#   . "$(dirname "$0")/e2e_lib.sh" "$1"        (from the project root)
# $1 is the ctlconv binary; it sets bin (absolute), work (a private folder,
# removed at exit unless KEEP is set), the PASS/FAIL counters and:
#   ok NAME / ko NAME [DETAIL]     count one check
#   check NAME 'SHELL TEST' [DETAIL]  ok if the test succeeds, else ko
#   finish                          the closing "N passed, N failed" line;
#                                   its status is the script's
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | head -5 | sed 's/^/    /'; fail=$((fail + 1)); }
check() { if (eval "$2"); then ok "$1"; else ko "$1" "${3:-}"; fi; }
finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" = 0 ]
}
