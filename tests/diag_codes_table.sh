#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Prints the README's table of diagnostic codes from `ctlconv --list-codes`
# (which prints CTL_DIAG_TABLE): ./tests/diag_codes_table.sh build/ctlconv
set -eu
"$1" --list-codes | awk '{
    name = $1; sev = $2
    sub(/^[^ ]+ +[^ ]+ +/, "")
    printf "| `%s` | %s | %s |\n", name, sev, $0
}'
