#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Adds the line "SPDX-License-Identifier: BSD-2-Clause" to source files without it,
# in each file's comment syntax, after a "#!" line (and a Python coding line)
# (from the project root):
#   tests/add_spdx.sh            every file tests/license_check.sh finds
#                                without it; then removes tests/license_pending.txt
#   tests/add_spdx.sh FILE...    those files (skipping those that have it)
cd "$(dirname "$0")/.." || exit 2
spdx='SPDX-License-Identifier: BSD-2-Clause'

add() {   # add FILE
    local f=$1 line
    head -n 5 "$f" | grep -qF "$spdx" && return 0
    case "$f" in
    *.c | *.h | *.ver) line="/* $spdx */" ;;
    *.1) line=".\\\" $spdx" ;;
    *) line="# $spdx" ;;
    esac
    SPDX_LINE=$line awk '
        !done && NR == 1 && /^#!/ { print; next }
        !done && NR <= 2 && /^#.*coding[:=]/ { print; next }
        !done { print ENVIRON["SPDX_LINE"]; done = 1 }
        { print }
        END { if (!done) print ENVIRON["SPDX_LINE"] }' "$f" >"$f.spdx" && cat "$f.spdx" >"$f" && rm -f "$f.spdx" &&
        echo "added: $f"
}

if [ $# -gt 0 ]; then
    for f in "$@"; do add "$f" || exit 1; done
    exit 0
fi
bash tests/license_check.sh --missing | while read -r f; do add "$f" || exit 1; done || exit 1
rm -f tests/license_pending.txt && echo "removed tests/license_pending.txt"
