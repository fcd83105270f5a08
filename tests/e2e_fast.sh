#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end checks of the writers made faster for issue 14: CP932 output
# encoded a record at a time (the table of characters glibc writes as
# others instead of decoding each cell back), JSON and CSV written a part
# at a time.  The bytes must be those of before.
#   tests/e2e_fast.sh PATH/TO/ctlconv        (run from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt

# A list CP932 holds exactly, with characters whose second byte is '\' or
# '|' (表 ソ 能 纊), quotes, delimiters and line breaks in cells.
/usr/bin/python3 - "$work/clean.csv" <<'PY'
import csv, sys
rows = [["id", "level", "parent", "isms", "title", "description", "category", "answer"]]
cells = ["表示ソフト能力", "纊①Ⅲｱ～", 'quote " and , comma', "tab\there", "line\nbreak\r\nCRLF",
         "=1+2", "@x", "-2", "＝￠￡￢∥－―", "back\\slash |pipe|", "ａｂｃ１２３"]
for k, c in enumerate(cells):
    rows.append([f"II.{k + 1}", "1", "", "A.5", c, c + " 説明", "基本", c])
csv.writer(open(sys.argv[1], "w", newline=""), lineterminator="\n").writerows(rows)
PY
for opts in "-t csv" "-t tsv" "-t csv --crlf" "-t tsv --crlf --excel-safe" "-t csv --header ja"; do
    if "$bin" -q $opts "$work/clean.csv" | iconv -f UTF-8 -t CP932 >"$work/want" &&
        "$bin" -q $opts --output-encoding cp932 "$work/clean.csv" >"$work/got" && cmp -s "$work/want" "$work/got"; then
        ok "CP932 output ($opts) is the UTF-8 output through iconv"
    else
        ko "CP932 output ($opts) is the UTF-8 output through iconv" "$(cmp "$work/want" "$work/got")"
    fi
done
"$bin" -q -t csv "$seed" | iconv -f UTF-8 -t CP932 >"$work/want" &&
    "$bin" -q -t csv --output-encoding cp932 "$seed" >"$work/got"
check "CP932 output of the seed is its UTF-8 output through iconv" 'cmp -s "$work/want" "$work/got"'

# Each character glibc writes as another (or drops) is still refused,
# with its place, whichever cell of the record holds it; --substitute
# writes the same record as the check cell by cell did.
for c in 〜:301C −:2212 ‖:2016 ¢:00A2 ¬:00AC —:2014 £:00A3 ¥:00A5 ‾:203E $'\xF3\xA0\x80\x81':E0001; do
    ch=${c%:*} code=${c#*:}
    printf 'id,title,description,answer\nII.1,表,ソ,能\nII.2,ok,"a,%sb",ok\n' "$ch" >"$work/one.csv"
    "$bin" -t csv --output-encoding cp932 "$work/one.csv" >"$work/out" 2>"$work/err"
    rc=$?
    check "U+$code refused in CP932 (row, column, character)" \
        '[ $rc = 1 ] && grep -q "row 2 (II.2), column '"'"'description'"'"': U+$code .*character 3 of the cell" "$work/err"' \
        "exit $rc: $(cat "$work/err")"
    "$bin" -t csv --substitute --output-encoding cp932 "$work/one.csv" >"$work/out" 2>"$work/err"
    rc=$?
    check "U+$code with --substitute: warned, other cells exact" \
        '[ $rc = 0 ] && grep -q "U+$code" "$work/err" && iconv -f CP932 -t UTF-8 "$work/out" | grep -q "^II.2,1,,,ok,\"a,.*b\",,ok$" &&
         iconv -f CP932 -t UTF-8 "$work/out" | grep -q "^II.1,1,,,表,ソ,,能$"' "exit $rc: $(cat "$work/err")"
done

# JSON: every string reads back as written (escapes of quotes, backslashes
# and control characters) and the pretty and lines forms agree
printf 'id,title,description,answer\nII.1,"q""b\\\\s","t\tl\nr\rx",\001\037\177 end\nII.2,日本語 テキスト,"",\n' >"$work/esc.csv"
"$bin" -q -t json "$work/esc.csv" >"$work/esc.json" && "$bin" -q -t jsonl "$work/esc.csv" >"$work/esc.jsonl"
check "JSON strings read back exactly; JSON Lines says the same" '/usr/bin/python3 - "$work/esc.json" "$work/esc.jsonl" <<'"'"'PY'"'"'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
lines = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
it = doc["items"][0]
assert it["title"] == "q\"b\\\\s", it["title"]
assert it["description"] == "t\tl\nr\rx", repr(it["description"])
assert it["answer"] == "\x01\x1f\x7f end", repr(it["answer"])
assert doc["items"][1]["title"] == "日本語 テキスト"
assert lines[1:] == doc["items"], "jsonl items differ"
raw = open(sys.argv[1], encoding="utf-8").read()
assert "\\u0001\\u001f" in raw and "\x7f" in raw
PY'

finish
