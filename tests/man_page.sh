#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The man page converters/cli/ctlconv.1 (written by hand) against the
# program (from the project root):
#   tests/man_page.sh PATH/TO/ctlconv
# It renders without a warning (man -l, else groff), names every option
# `ctlconv --help` lists and every format `ctlconv --list-formats` reads or
# writes, every exit status, and the program's version.  A new option or
# format fails here until the page describes it.
. "$(dirname "$0")/e2e_lib.sh" "$1"
page=converters/cli/ctlconv.1
# the page's text with groff's escapes for - undone: \-\-from -> --from
text=$(sed 's/\\-/-/g' "$page")

if command -v man >/dev/null; then
    err=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >"$work/page.txt")
    check "man --warnings -l renders the page without a warning" '[ -z "$err" ] && [ -s "$work/page.txt" ]' "$err"
elif command -v groff >/dev/null; then
    err=$(groff -man -ww -z "$page" 2>&1)
    check "groff -man -ww renders the page without a warning" '[ -z "$err" ]' "$err"
else
    echo "SKIP rendering the page: neither man nor groff is installed (.ci/install-deps test)"
fi

missing=""
for o in $("$bin" --help | sed -nE -e 's/^ +(-[A-Za-z]), (--[a-z][a-z0-9-]*).*/\1 \2/p' \
    -e 's/^ +(--[a-z][a-z0-9-]*).*/\1/p'); do
    grep -qE -- "(^|[^a-z-])$o([^a-z-]|$)" <<<"$text" || missing="$missing $o"
done
check "the page names every option of ctlconv --help" '[ -z "$missing" ]' "not in $page:$missing"

missing=""
for f in $("$bin" --list-formats | awk 'NR == 1 { next } NF == 0 { exit } $2 == "yes" || $3 == "yes" { print $1 }'); do
    grep -qx "\.B $f" <<<"$text" || missing="$missing $f"
done
check "the page's FORMATS names every format ctlconv reads or writes" '[ -z "$missing" ]' \
    "not in $page (a line '.B NAME' under .SH FORMATS):$missing"

missing=""
for s in 0 1 2 3 4; do
    sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$page" | grep -qx "\.B $s" || missing="$missing $s"
done
check "the page's EXIT STATUS gives 0 to 4" '[ -z "$missing" ]' "missing:$missing"

version=$("$bin" --version | awk '{print $2}')
check "the page's .TH names ctlconv $version" 'grep -q "^\.TH CTLCONV 1 .*\"ctlconv $version\"" "$page"' \
    "$(grep '^\.TH' "$page")"
finish
