#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Makes libreoffice-unicode-text.txt: the seed written by ctlconv as XLSX
# (title, note and annex heading in rows above the header), then saved by
# LibreOffice Calc as "Text CSV" with tabs in UTF-16 (character set 65535),
# as a spreadsheet's "Unicode text" is saved with a .txt name.  Every row is
# padded with tabs to the sheet's width.  Needs LibreOffice (soffice).
#   tests/data/make-libreoffice-text.sh PATH/TO/ctlconv   (from this folder)
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" -q -t xlsx -o "$tmp/libreoffice-unicode-text.xlsx" "$here/../../samples/mic-cloud-guideline-v3-annex2-provider.txt"
soffice -env:UserInstallation="file://$tmp/profile" --headless \
    --convert-to 'txt:Text - txt - csv (StarCalc):9,34,65535' --outdir "$tmp" \
    "$tmp/libreoffice-unicode-text.xlsx" >/dev/null
cp "$tmp/libreoffice-unicode-text.txt" "$here/libreoffice-unicode-text.txt"
