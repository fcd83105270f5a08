#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The ctlconv program is a client of the library: its sources (converters/cli/)
# include no project header but ctlconv.h, it is compiled with include/ as
# its only project folder on the include path, and it is one program that
# links its libraries (no module loaded later).
#   tests/cli_layout.sh PATH/TO/ctlconv C-COMPILER 'DIR;DIR...'   (from the project root)
# The last argument is the include path CMake compiles the program with.
set -u
bin=$1 cc=$2 dirs=$3
root=$PWD
pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | head -5 | sed 's/^/    /'; fail=$((fail + 1)); }

cli=(converters/cli/*.c converters/cli/*.h)
srcs=()
for f in "${cli[@]}"; do [ -f "$f" ] && srcs+=("$f"); done
[ "${#srcs[@]}" -gt 0 ] && ok "the CLI's sources are in converters/cli/" || ko "the CLI's sources are in converters/cli/"

# every #include "..." names ctlconv.h or the program's own header (cli.h,
# beside its sources); no <...> names a project header
bad=$(grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "${srcs[@]}" |
      grep -vE '#[[:space:]]*include[[:space:]]*"(ctlconv|cli)\.h"')
[ -z "$bad" ] && ok "the CLI includes no project header but \"ctlconv.h\" (and its own \"cli.h\")" ||
    ko "the CLI includes no project header but \"ctlconv.h\" (and its own \"cli.h\")" "$bad"
ours=$(cd "$root" && find converters formats include -name '*.h' ! -name ctlconv.h -printf '%f\n' | sort -u)
bad=""
while read -r h; do
    [ -n "$h" ] || continue
    hit=$(grep -HnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*<([^>]*/)?$h>" "${srcs[@]}")
    [ -n "$hit" ] && bad="$bad$hit"$'\n'
done <<<"$ours"
[ -z "$bad" ] && ok "the CLI includes no project header through <...>" ||
    ko "the CLI includes no project header through <...>" "$bad"

# the include path CMake gives the program: include/ and nothing else of ours
bad=""
IFS=';' read -ra list <<<"$dirs"
for d in "${list[@]}"; do
    case "$d" in
    "$root/include") ;;
    "$root"/*) bad="$bad $d" ;;
    esac
done
[ "${#list[@]}" -gt 0 ] && [ -z "$bad" ] && ok "the CLI is compiled with include/ as its only project folder" ||
    ko "the CLI is compiled with include/ as its only project folder" "include path:${bad:- (empty)}"
"$cc" -fsyntax-only -Wall -Wextra -Werror -D_GNU_SOURCE -I include "${srcs[@]}" 2>"${TMPDIR:-/tmp}/cli_layout.$$" &&
    ok "the CLI compiles with -I include alone" ||
    ko "the CLI compiles with -I include alone" "$(cat "${TMPDIR:-/tmp}/cli_layout.$$")"
rm -f "${TMPDIR:-/tmp}/cli_layout.$$"

# one program: no module to load, libxml2, libxlsxwriter and minizip linked
grep -qa 'ctlconv-office' "$bin" && ko "the program loads no module (ctlconv-office.so)" ||
    ok "the program loads no module (ctlconv-office.so)"
libs=$(ldd "$bin" 2>&1)
echo "$libs" | grep -q 'libxml2' && echo "$libs" | grep -q 'libxlsxwriter' && echo "$libs" | grep -q 'libminizip' &&
    ok "the program links libxml2, libxlsxwriter and minizip" ||
    ko "the program links libxml2, libxlsxwriter and minizip" "$libs"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
