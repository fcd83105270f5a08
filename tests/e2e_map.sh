#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Mapping files (--map) and how warnings are printed: a map drives a
# conversion of headers ctlconv does not know; command-line options win over
# it; its errors name the line (exit 2); a code raised more than 5 times is
# one line with the count and the next lines, -v prints them all, -q none;
# the error comes first.  Run from the project root: tests/e2e_map.sh BIN
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
real=../shared/corpora/real

run() { "$@" >"$work/out" 2>"$work/err"; rc=$?; }

# --- a German export: headers ctlconv does not know -------------------------
cat >"$work/de.csv" <<'EOF'
Kontroll-Nr,Bezeichnung,Beschreibung,Stufe
K.1,Organisation,,
K.1.1,Richtlinie,Es gibt eine,Pflicht
K.1.2,Rollen,Verteilt,Empfohlen
K.2,Technik,,
K.2.1,Schulung,Jährlich,Pflicht
EOF
cat >"$work/de.map" <<'EOF'
# the GRC tool's export
format = csv

column.id = Kontroll-Nr
column.title = Bezeichnung
column.description = Beschreibung
column.category = Stufe
category.Pflicht = mandatory
category.Empfohlen = recommended
EOF
run "$bin" -t csv "$work/de.csv"
check "without the map the German headers are not read (exit 1)" "[ $rc = 1 ] && [ ! -s '$work/out' ]" "$(cat "$work/err")"
run "$bin" --map "$work/de.map" -t json "$work/de.csv"
check "with the map: exit 0, no warning, five items" \
    "[ $rc = 0 ] && [ ! -s '$work/err' ] && [ \$(grep -c '\"id\": \"K' '$work/out') = 5 ]" "$(cat "$work/err" "$work/out")"
check "with the map: ids, parents and levels from the ids" \
    "grep -q '\"id\": \"K.2.1\", \"label\": \"K.2.1\", \"level\": 2, \"parent\": \"K.2\"' '$work/out'" "$(cat "$work/out")"
check "with the map: the category words kept, their values from the map" \
    "grep -q '\"category\": \"Pflicht\", \"category_value\": \"mandatory\"' '$work/out' &&
     grep -q '\"category\": \"Empfohlen\", \"category_value\": \"recommended\"' '$work/out'" "$(cat "$work/out")"
run "$bin" --map "$work/de.map" -t csv - <"$work/de.csv"
check "the map's format reads standard input, which has no name to go by" \
    "[ $rc = 0 ] && grep -qx 'K.1.1,2,K.1,,Richtlinie,Es gibt eine,Pflicht,' '$work/out'" "$(cat "$work/err" "$work/out")"

# --- options on the command line win over the map ----------------------------
run "$bin" --map "$work/de.map" --column title=Beschreibung -t csv "$work/de.csv"
check "--column title=... wins over the map's column.title (the map's column becomes extra)" \
    "[ $rc = 0 ] && grep -qx 'K.1.1,2,K.1,,Es gibt eine,,Pflicht,,Richtlinie' '$work/out'" "$(cat "$work/err" "$work/out")"
{ cat "$work/de.map"; echo "encoding = CP932"; } >"$work/cp.map"
run "$bin" --map "$work/cp.map" -t csv "$work/de.csv"
check "the map's encoding is used (UTF-8 read as CP932: no Jährlich)" \
    "[ $rc = 0 ] && ! grep -q 'Jährlich' '$work/out'" "$(cat "$work/err" "$work/out")"
run "$bin" --map "$work/cp.map" --encoding UTF-8 -t csv "$work/de.csv"
check "--encoding UTF-8 wins over the map's encoding" \
    "[ $rc = 0 ] && grep -q 'K.2.1,2,K.2,,Schulung,Jährlich,Pflicht,' '$work/out'" "$(cat "$work/err" "$work/out")"
run "$bin" --map "$work/de.map" -f json -t csv "$work/de.csv"
check "-f wins over the map's format (the CSV read as JSON: its columns are no keys there: exit 2)" \
    "[ $rc = 2 ] && grep -q 'no-such-column' '$work/err'" "$(cat "$work/err")"
{ cat "$work/de.map"; echo "sheet = Kontrollen"; } >"$work/sheet.map"
run "$bin" --map "$work/sheet.map" -t csv "$work/de.csv"
check "a map key that does not apply to the input is a usage error naming the map (exit 2)" \
    "[ $rc = 2 ] && grep -q 'sheet (in the map .*sheet.map) has no effect on csv input: it applies to xlsx input' '$work/err'" \
    "$(cat "$work/err")"

# --- errors in a map: file, line, bad-map, exit 2, nothing written -----------
bad_map() {   # NAME LINE FRAGMENT TEXT
    printf '%b' "$4" >"$work/bad.map"
    rm -f "$work/bad.csv"
    printf '%s\n' "bad.map:$2: $3" >"$work/want"
    run "$bin" --map "$work/bad.map" -t csv -o "$work/bad.csv" "$work/de.csv"
    check "map error, $1: exit 2, line $2 named, nothing written" \
        "[ $rc = 2 ] && [ ! -e '$work/bad.csv' ] && grep -qF -f '$work/want' '$work/err' && grep -q '\[bad-map\]\$' '$work/err'" \
        "exit $rc: $(cat "$work/err")"
}
bad_map "unknown key" 3 "unknown key 'colum.title'" '# typo\n\ncolum.title = Bezeichnung\n'
bad_map "bad field name" 2 "'column.tilte': no field 'tilte'" 'format = csv\ncolumn.tilte = Bezeichnung\n'
bad_map "bad scheme" 1 "ref-scheme 'ISO 9999' is no scheme" 'ref-scheme = ISO 9999\n'
bad_map "duplicate key" 4 "sheet given twice (first on line 1)" 'sheet = 1\n# c\n\nsheet = 2\n'
bad_map "a line that is no KEY = VALUE" 2 "'Bezeichnung' is no KEY = VALUE line" 'format = csv\nBezeichnung\n'
run "$bin" --map "$work/none.map" -t csv "$work/de.csv"
check "a map that cannot be read: exit 3 (io-error)" "[ $rc = 3 ] && grep -q 'none.map.*\[io-error\]' '$work/err'" "$(cat "$work/err")"

# --- repeated warnings collapse; -v shows them all; -q none ------------------
{ echo 'Kontroll-Nr,Bezeichnung,Beschreibung,Stufe'; echo 'K.1,Oben,,'
  for i in $(seq 1 20); do echo ",Zeile $i,d,Pflicht"; done; } >"$work/gen.csv"
run "$bin" --map "$work/de.map" -t csv -o "$work/gen.out" "$work/gen.csv"
check "20 rows without ids: one line, the first warning, the count and the next lines" \
    "[ $rc = 0 ] && [ \$(wc -l <'$work/err') = 1 ] &&
     grep -qF 'gen.csv:3: warning: a row without an id: kept as K.1#1, under K.1 [id-generated] (and 19 more like it: lines 4, 5, 6, 7, 8, ...)' '$work/err'" \
    "$(cat "$work/err")"
run "$bin" -v --map "$work/de.map" -t csv -o "$work/gen.out" "$work/gen.csv"
check "-v: all 20 warnings, one line each" \
    "[ $rc = 0 ] && [ \$(grep -c 'warning: a row without an id' '$work/err') = 20 ] && grep -q 'gen.csv:22: .*K.1#20' '$work/err'" \
    "$(cat "$work/err")"
run "$bin" -q --map "$work/de.map" -t csv -o "$work/gen.out" "$work/gen.csv"
check "-q: no warning" "[ $rc = 0 ] && [ ! -s '$work/err' ]" "$(cat "$work/err")"
run "$bin" -q -v --map "$work/de.map" -t csv "$work/gen.csv"
check "-q with -v: a usage error (exit 2)" "[ $rc = 2 ] && grep -q 'q and -v' '$work/err'" "$(cat "$work/err")"
head -7 "$work/gen.csv" >"$work/five.csv"
run "$bin" --map "$work/de.map" -t csv -o "$work/gen.out" "$work/five.csv"
check "5 warnings of a code: still one line each" \
    "[ $rc = 0 ] && [ \$(grep -c 'warning: a row without an id' '$work/err') = 5 ] && ! grep -q 'more like it' '$work/err'" \
    "$(cat "$work/err")"

# --- every row refused: the error first, then the one collapsed line ---------
{ echo 'Kontroll-Nr,Bezeichnung,Beschreibung,Stufe'
  for i in $(seq 1 1500); do echo "siehe oben,Zeile $i,d,"; done; } >"$work/allbad.csv"
run "$bin" --map "$work/de.map" -t csv -o "$work/allbad.out" "$work/allbad.csv"
check "a row without an identifier is an error (exit 1, bad-row, one line, nothing written)" \
    "[ $rc = 1 ] && [ ! -e '$work/allbad.out' ] && [ \$(wc -l <'$work/err') = 1 ] && grep -q 'allbad.csv:2: .*\[bad-row\]' '$work/err'" \
    "$(cat "$work/err")"
{ cat "$work/de.map"; echo "skip-bad-rows = yes"; } >"$work/skip.map"
run "$bin" --map "$work/skip.map" -t csv -o "$work/allbad.out" "$work/allbad.csv"
check "skip-bad-rows, every row skipped: exit 1, the error on the first line, the 1500 skips on the second" \
    "[ $rc = 1 ] && [ \$(wc -l <'$work/err') = 2 ] && head -1 '$work/err' | grep -q '\[no-rows\]' &&
     sed -n 2p '$work/err' | grep -qF 'allbad.csv:2: warning: row skipped: ' &&
     sed -n 2p '$work/err' | grep -qF '[row-skipped] (and 1499 more like it: lines 3, 4, 5, 6, 7, ...)'" \
    "$(cat "$work/err")"
run "$bin" -v --map "$work/skip.map" -t csv -o "$work/allbad.out" "$work/allbad.csv"
check "-v: the error, 999 warnings kept, and the count of the others" \
    "[ $rc = 1 ] && [ \$(grep -c '\[row-skipped\]' '$work/err') = 999 ] && tail -1 '$work/err' | grep -q '501 more warning(s) not shown \[more-warnings\]'" \
    "$(tail -2 "$work/err")"

# --- codes whose warnings all came after the first 999 ----------------------
{ cat "$work/de.map"; echo "column.refs = Norm"; } >"$work/norm.map"
{ echo 'Kontroll-Nr,Bezeichnung,Beschreibung,Stufe,Norm'; echo 'K.1,Oben,,,'
  for i in $(seq 1 1100); do echo ",Zeile $i,d,,"; done
  for i in 1 2 3; do echo "K.9.$i,Z,d,,siehe Anhang"; done; } >"$work/late.csv"
run "$bin" --map "$work/norm.map" -t csv -o "$work/late.out" "$work/late.csv"
check "warnings past the 999 kept: counted by code, no more-warnings line" \
    "[ $rc = 0 ] && [ \$(wc -l <'$work/err') = 2 ] && grep -qF '(and 1099 more like it: lines' '$work/err' &&
     grep -qF 'warning: 3 warning(s) past the first 999 kept: a reference cell that is no list of identifiers of its scheme: kept as written [not-isms]' '$work/err' &&
     ! grep -q 'more-warnings' '$work/err'" "$(cat "$work/err")"

# --- the example maps of the development set --------------------------------
: >"$work/empty"
for m in samples/maps/*.map; do
    run "$bin" --map "$m" -t json "$work/empty"
    check "$(basename "$m") is a valid map (the empty input is what fails)" \
        "[ $rc = 1 ] && ! grep -q 'bad-map' '$work/err'" "$(cat "$work/err")"
done
if [ -d "$real" ]; then
    run "$bin" --map samples/maps/cis-controls-v8.map -t json "$real/cis-controls-v8.csv"
    check "CIS Controls v8 with its map: 153 safeguards, ids and titles from the safeguard columns" \
        "[ $rc = 0 ] && [ \$(grep -c '\"id\": \"[0-9]*\\.[0-9]*\"' '$work/out') = 153 ] &&
         grep -q '\"id\": \"1.1\", \"label\": \"1.1\".*\"title\": \"Establish and Maintain Detailed Enterprise Asset Inventory\"' '$work/out'" \
        "$(head -3 "$work/err")"
    run "$bin" --map samples/maps/ismap-control-criteria-2022-04-01.map -t csv "$real/ismap-control-criteria-2022-04-01.csv"
    check "ISMAP with its map: 263 rows (under 60 headings), ids as printed, both duplicates kept, iso_reference extra" \
        "[ $rc = 0 ] && [ \$(grep -cE '^[0-9]+\.[0-9]+\.' '$work/out') = 263 ] && [ \$(grep -c '^[0-9]' '$work/out') = 323 ] && grep -q '^9.2.3.11.PB,' '$work/out' &&
         grep -q '^6.3.1.P,' '$work/out' && [ \$(grep -c '^4.4.1,' '$work/out') = 2 ] && head -1 '$work/out' | grep -q ',iso_reference' &&
         [ \$(grep -c 'duplicate-id' '$work/err') = 2 ]" "$(head -3 "$work/err")"
    for f in iso27001-2022.xlsx touitsukijun_r7.json; do
        run "$bin" --map "samples/maps/${f%.*}.map" -t json "$real/$f"
        check "$f with its map: the map is taken (no usage error)" "[ $rc != 2 ]" "$(head -3 "$work/err")"
    done
else
    echo "SKIP the development set: $real is missing"
fi

finish
