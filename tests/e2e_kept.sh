#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of issue 12's "nothing vanishes in silence" (review12
# findings 11, 19, 20 and the writers' references): Markdown headings over
# the tables of a list, the bad-row error's hint, references cells that say
# "none", and the table writers' refs-changed warning.
#   tests/e2e_kept.sh PATH/TO/ctlconv        (run from the project root)
# Prints one line per check and a closing "N passed, N failed" line.
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt

run() { "$bin" "$@" >"$work/out" 2>"$work/err"; rc=$?; }
# field ID KEY: KEY of item ID in the JSON output $work/out
field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print([i for i in d["items"] if i["id"] == sys.argv[2]][0][sys.argv[3]])' "$work/out" "$1" "$2"; }
meta() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/out" "$1"; }

# --- Markdown: headings over the tables of a list ----------------------------
cat >"$work/gh.md" <<'EOF'
# ISO 27001:2022 Annex A controls

## 5 Organizational controls

| ID | Name | Description |
|----|------|-------------|
| A.5.1 | Policies | Defined |
| A.5.1.1 | A sub-control | Kept under A.5.1 |
| A.5.2 | Roles | Defined |

## 8 **Technological** controls

| ID | Name | Description |
|----|------|-------------|
| A.8.1 | User end point devices | Protected |
EOF
run -t json "$work/gh.md"
check "two tables under numbered headings: read (exit 0)" "[ $rc = 0 ]" "$(cat "$work/err")"
check "each table's heading is a heading item, its rows under it" \
    "[ \"\$(field 5 title)|\$(field 8 title)|\$(field A.5.1 parent)|\$(field A.5.2 parent)|\$(field A.8.1 parent)\" = 'Organizational controls|Technological controls|5|5|8' ]" \
    "$(cat "$work/out")"
check "a row an item above contains stays under it (A.5.1.1 under A.5.1, level 3)" \
    "[ \"\$(field A.5.1.1 parent)|\$(field A.5.1.1 level)|\$(field 8 level)\" = 'A.5.1|3|1' ]"
check "... and the first heading is no annex heading then" "[ -z \"\$(meta annex)\" ]"
"$bin" -q -t markdown -o "$work/gh-out.md" "$work/gh.md" && "$bin" -q -t json -o "$work/a.json" "$work/gh.md" &&
    "$bin" -q -t json -o "$work/b.json" "$work/gh-out.md"
check "through Markdown and back: the same list" \
    "diff <(grep '\"id\": ' '$work/a.json') <(grep '\"id\": ' '$work/b.json') >/dev/null" \
    "$(diff <(grep '"id": ' "$work/a.json") <(grep '"id": ' "$work/b.json") | head -5)"

# headings without an identifier: the first table's is the annex heading,
# a later one a line of the note; the later table is long (its rows go out
# after the note)
{
    printf '# Controls\n\nWhat we apply.\n\n## Organizational controls\n\n| ID | Name | Description |\n|---|---|---|\n'
    for i in $(seq 1 300); do printf '| A.5.%d | Control %d | Text |\n' "$i" "$i"; done
    printf '\n## Technological controls\n\n| ID | Name | Description |\n|---|---|---|\n| A.8.1 | Devices | Protected |\n'
    printf '\n## Appendix\n\nNot a table.\n'
} >"$work/plain.md"
run -t json "$work/plain.md"
check "headings without ids: the first table's is the annex heading" \
    "[ $rc = 0 ] && [ \"\$(meta annex)\" = 'Organizational controls' ]" "$(cat "$work/err")"
check "... the later table's heading is a line of the note, after the paragraph (300 rows before it)" \
    "[ \"\$(meta note)\" = \"\$(printf 'What we apply.\nTechnological controls')\" ]" "$(meta note)"
check "... and the rows keep their places (A.8.1 at the top)" "[ \"\$(field A.8.1 level)\" = 1 ]"

# one table under one numbered heading: the annex heading, as before
printf '## 5 Organizational controls\n\n| ID | Name | Description |\n|---|---|---|\n| A.5.1 | Policies | Defined |\n' >"$work/one.md"
run -t json "$work/one.md"
check "one table under a numbered heading: its annex heading, no item" \
    "[ \"\$(meta annex)\" = '5 Organizational controls' ] && ! grep -q '\"id\": \"5\"' '$work/out'" "$(cat "$work/out")"

# a header with a level or parent column: the file says where rows go
printf '## 5 Org\n\n| id | level | parent | title |\n|---|---|---|---|\n| A.5.1 | 1 |  | P |\n\n## 8 Tech\n\n| id | level | parent | title |\n|---|---|---|---|\n| A.8.1 | 1 |  | D |\n' >"$work/tree.md"
run -t json "$work/tree.md"
check "tables with level and parent columns: no items by position, the later heading in the note" \
    "[ $rc = 0 ] && ! grep -q '\"id\": \"8\"' '$work/out' && [ \"\$(meta note)\" = '8 Tech' ] && [ \"\$(field A.8.1 parent)\" = '' ]" \
    "$(cat "$work/out")"

# the seed through Markdown is still read the same
"$bin" -q -t csv -o "$work/seed.csv" "$seed" && "$bin" -q -t markdown -o "$work/seed.md" "$seed" &&
    "$bin" -q -t csv -o "$work/seed-md.csv" "$work/seed.md"
check "the seed through Markdown: the same CSV" "cmp -s '$work/seed.csv' '$work/seed-md.csv'"

# --- the bad-row error names --skip-bad-rows ----------------------------------
printf '項番,対策項目,対策内容\n1.1,方針,定める\n合計,,\n' >"$work/total.csv"
run -t csv "$work/total.csv"
check "a bad row: exit 1, the error names --skip-bad-rows" \
    "[ $rc = 1 ] && grep -q -- '(skip such rows with --skip-bad-rows) \[bad-row\]' '$work/err'" "$(cat "$work/err")"

# --- references cells that say none ---------------------------------------------
printf '%s\n' 'Control Identifier,Control Name,Related Controls' 'AC-2,Account Management,"AC-3, AC-5"' \
    'AC-2(1),Automated Management,None.' 'AC-2(2),Temporary Accounts,N/A' 'AC-3,Access Enforcement,-' \
    'AC-4,Information Flow,該当なし' 'AC-5,Separation of Duties,none yet' >"$work/nist.csv"
run -t json "$work/nist.csv"
check "None. / N/A / - / 該当なし: no reference, no warning" \
    "[ \"\$(field 'AC-2(1)' refs)\$(field 'AC-2(2)' refs)\$(field AC-3 refs)\$(field AC-4 refs)\" = '[][][][]' ] &&
     [ \$(grep -c not-isms '$work/err') = 1 ]" "$(cat "$work/err")"
check "other text is still one reference as written, warned" \
    "[ \"\$(field AC-5 refs)\" = \"[{'scheme': '', 'id': 'none yet'}]\" ] && grep -q \"'none yet' is no list\" '$work/err'"

# --- the table writers say when references will not read back ------------------
cat >"$work/refs.json" <<'EOF'
{"format": "ctlconv-list", "version": 2, "title": "", "note": "", "annex": "", "ref_scheme": "", "columns": [], "items": [
 {"id": "1", "label": "1", "level": 1, "parent": "", "refs": [{"scheme": "iso27001-2022", "id": "A.5.1"}], "title": "clean", "description": "", "category": null, "category_value": null, "answer": ""},
 {"id": "2", "label": "2", "level": 1, "parent": "", "refs": [{"scheme": "", "id": "free text"}, {"scheme": "iso27001-2022", "id": "A.5.1"}], "title": "free beside", "description": "", "category": null, "category_value": null, "answer": ""},
 {"id": "3", "label": "3", "level": 1, "parent": "", "refs": [{"scheme": "nist-sp800-53", "id": "see AC-2"}], "title": "no id", "description": "", "category": null, "category_value": null, "answer": ""}
], "unplaced_isms": []}
EOF
for t in csv tsv markdown xlsx; do
    run -t "$t" -o "$work/refs.$t" "$work/refs.json"
    check "-t $t: one refs-changed warning, counting 2 items, naming the first (2)" \
        "[ $rc = 0 ] && [ \$(grep -c 'refs-changed' '$work/err') = 1 ] && grep -q '2 item(s) with references .*(the first: 2)' '$work/err'" \
        "$(cat "$work/err")"
done
run -t json -o "$work/refs2.json" "$work/refs.json"
check "-t json keeps them: no refs-changed" "[ $rc = 0 ] && ! grep -q refs-changed '$work/err'" "$(cat "$work/err")"
run -t csv -o "$work/seed2.csv" "$seed"
check "the seed to CSV: no refs-changed" "[ $rc = 0 ] && ! grep -q refs-changed '$work/err'" "$(cat "$work/err")"
run --strict -t csv -o "$work/strict.csv" "$work/refs.json"
check "--strict refuses it (a warning), --allow refs-changed lets it through" \
    "[ $rc = 1 ] && '$bin' -q --strict --allow refs-changed -t csv -o '$work/allowed.csv' '$work/refs.json'" "$(cat "$work/err")"

finish
