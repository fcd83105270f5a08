#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Runs the hostile corpus (tests/hostile/cases) through the ctlconv program.
#   tests/hostile.sh PATH/TO/ctlconv
# Every case must end with exit 1 and its message (which names the file, or
# the output for a writer's refusal),
# nothing on standard output,
# no output file and no temporary file beside it, nothing of /etc/passwd, in
# at most 5 s and 64 MiB + 3 x the input's size of memory (both x4 for a
# sanitizer build).  The 100 MB single field and the complexity shapes are
# written here, not kept.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$(cd "$(dirname "$0")" && pwd)/hostile
[ -r "$dir/cases" ] || { echo "FAIL cannot read $dir/cases"; exit 1; }
# a sanitizer report must not pass for the expected exit 1
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:exitcode=87"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | head -5 | sed 's/^/    /'; fail=$((fail + 1)); }

slow=1
grep -qa '__asan_init' "$bin" && slow=4   # gcc links libasan, clang links it in
/usr/bin/python3 -c "import sys; f=open(sys.argv[1],'w'); f.write('id,title,category\nII.1,\"'); f.write('x' * (100 << 20)); f.write('\",基本\n')" "$work/100mb-field.csv"
# 6 MB of empty objects (an item, a member of a record, a JSON Lines line)
# that jansson would hold in about 500 MB
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write('{\"items\": [{\"id\": \"II.1\", \"isms\": [' + '{},' * (8 << 20 >> 2) + '{}]}]}')" "$work/json-nodes.json"
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write('[{\"id\": \"1\", \"x\": [' + '{},' * (8 << 20 >> 2) + '{}]}]')" "$work/json-nodes-array.json"
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write('{\"format\": \"ctlconv-list\"}\n{\"id\": \"II.1\", \"isms\": [' + '{},' * (8 << 20 >> 2) + '{}]}\n')" "$work/json-nodes.jsonl"
# JSON records with more different keys than the columns limit; an outline
# nested 100,000 deep (64 levels are read)
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write('[' + ','.join('{\"id\": \"1\", \"k%d\": 1}' % i for i in range(20000)) + ']')" "$work/json-keys.json"
/usr/bin/python3 -c "import sys; n=100000; open(sys.argv[1],'w').write('[' + '{\"id\": \"1\", \"c\": [' * n + '{\"id\": \"1\"}' + ']}' * n + ']')" "$work/json-outline-deep.json"
# JSON records read as a table: 16,000 keys, each in one record (no empty
# extra fields for the others), then 20,000 records under a first one that
# has all the keys (the rows kept to decide the columns are that wide)
/usr/bin/python3 -c "import sys; n=16000; open(sys.argv[1],'w').write('[' + ','.join('{\"id\": \"%d\", \"k%d\": 1}' % (i + 1, i) for i in range(n)) + ',{\"id\": \"no identifier here\"}]')" "$work/json-sparse-keys.json"
/usr/bin/python3 -c "import sys; n=16000; open(sys.argv[1],'w').write('[{\"id\": \"1\", ' + ', '.join('\"k%d\": 1' % i for i in range(n)) + '},' + ','.join('{\"id\": \"%d\", \"k%d\": 2}' % (i + 2, n - 1) for i in range(20000)) + ',{\"id\": \"no identifier here\"}]')" "$work/json-wide-keys.json"
# Complexity shapes (each quadratic once): 16,000 distinct extra columns
# written back to CSV (the last row ragged, so that it ends in an error); a
# 4 MB title line followed by 200,000 note lines, and by 200,000 rows.
/usr/bin/python3 -c "import sys; n=16000; f=open(sys.argv[1],'w')
f.write('id,title,category,' + ','.join('x%05d' % i for i in range(n)) + '\n')
for r in range(20): f.write('II.1.1.%d,t,基本,' % (r + 1) + ',v' * (n - 1) + 'v\n')
f.write('II.1.1.99,t,基本,' + 'v,' * n + 'v\n')" "$work/wide-columns.csv"
/usr/bin/python3 -c "import sys; f=open(sys.argv[1],'w'); f.write('T' * (4 << 20) + '\n' + 'x\n' * 200000)" "$work/long-title-notes.txt"
/usr/bin/python3 -c "import sys; f=open(sys.argv[1],'w'); f.write('T' * (4 << 20) + '\nISMS 管理策\t項番\t対策項目\t対策内容\t区分\t公開回答\n')
f.write(''.join('\tII. 1. 1. %d\tt\td\t基本\ta\n' % i for i in range(1, 200001)) + 'stray\n')" "$work/long-title-rows.txt"
# Markdown: a cell of 200,000 link openers and emphasis runs (refused past
# 100,000 marks); one of backtick runs of every length, tags and comments
# never closed (cmark's quadratic shapes), then a ragged row.
/usr/bin/python3 -c "import sys; f=open(sys.argv[1],'w'); f.write('| id | title | description |\n|---|---|---|\n| II.1 | t | ' + '[*a ' * 200000 + ' |\n')" "$work/md-marks.md"
/usr/bin/python3 -c "import sys; f=open(sys.argv[1],'w'); f.write('| id | title | description |\n|---|---|---|\n| II.1 | t | ' + ''.join('\x60' * k + 'x' for k in range(1, 80)) * 1000 + '<a x=\"' * 100000 + '<!-- ' * 100000 + ' |\n| II.2 | t | d | e |\n')" "$work/md-spans.md"
# 400 rows of 10,000 cells that each could be a header row (a known word),
# none with a column of ids below: each taken and given up in turn
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write(('title,' + ','.join(['abc'] * 10000) + '\n') * 400)" \
    "$work/candidate-rows.csv"
# 400 rows of 10,000 words that name no field (a header row of unknown
# words is taken when a column of codes is below it), none with one below;
# 300,000 note rows after the last item (held until an item follows), and
# 1,000 of 5,000 cells each; a
# column of numbers fused with 40 KB titles, then a ragged row
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write((','.join(['abc'] * 10000) + '\n') * 400)" \
    "$work/weak-header-rows.csv"
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write('id,title,description\nA.1,t,d\n' + ',\u203b note,\n' * 300000)" \
    "$work/held-rows.csv"
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write('id,title,description,' + ','.join(['c'] * 4998) + '\nA.1' + ',x' * 5000 + '\n' + (',' * 5000 + '\u203b n\n') * 1000)" \
    "$work/held-wide-rows.csv"
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write('管理策,内容\n' + ''.join('1.%d ' % i + 'w ' * 20000 + ',d\n' for i in range(1, 200)) + '1.999 x,d,e\n')" \
    "$work/fused-long.csv"

# OSCAL catalogs: groups nested 100,000 deep (jansson's 2,048) and 70 deep
# (64 levels are read); 8 MB of empty props (json-memory); a statement of
# parts nested 1,000 deep, 2 KB of prose each, flattened, before a control
# without a title
/usr/bin/python3 -c "import sys; n=100000; open(sys.argv[1],'w').write('{\"catalog\": {\"metadata\": {\"title\": \"t\"}, \"groups\": [' + '{\"title\": \"g\", \"groups\": [' * n + ']}' * n + ']}}')" "$work/oscal-deep.json"
/usr/bin/python3 -c "import sys; n=70; open(sys.argv[1],'w').write('{\"catalog\": {\"metadata\": {\"title\": \"t\"}, \"groups\": [' + '{\"title\": \"g\", \"groups\": [' * n + '{\"title\": \"g\"}' + ']}' * n + ']}}')" "$work/oscal-groups-70.json"
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write('{\"catalog\": {\"metadata\": {\"title\": \"t\", \"props\": [' + '{},' * (8 << 20 >> 2) + '{}]}}}')" "$work/oscal-nodes.json"
/usr/bin/python3 -c "import sys; n=1000; p='{\"name\": \"item\", \"props\": [{\"name\": \"label\", \"value\": \"a.\"}], \"prose\": \"' + 'x' * 2000 + '\", \"parts\": ['
open(sys.argv[1],'w').write('{\"catalog\": {\"metadata\": {\"title\": \"t\"}, \"controls\": [{\"id\": \"c1\", \"title\": \"t\", \"parts\": [' + p * n + ']}' * n + ']}, {\"id\": \"c2\"}]}}')" "$work/oscal-parts-deep.json"
# CISO Assistant library workbooks: 100,000 unnumbered nodes each a level
# deeper (the converter's URNs <parent>:1 grow with the depth: refused past
# the 255 characters CISO Assistant stores); 200,000 nodes, the last one
# a second node of its URN
/usr/bin/python3 - "$work/ciso-deep.xlsx" "$work/ciso-rows.xlsx" <<'PY'
import sys, zipfile
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
def cell(c, r, v):
    if isinstance(v, int): return '<c r="%s%d"><v>%d</v></c>' % (c, r, v)
    return '<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (c, r, v)
def sheet(rows):
    yield '<?xml version="1.0"?><worksheet %s><sheetData>' % NS
    for r, row in enumerate(rows, 1):
        yield '<row r="%d">%s</row>' % (r, ''.join(cell('ABC'[i], r, v) for i, v in enumerate(row) if v != ''))
    yield '</sheetData></worksheet>'
def book(path, content):
    meta = {'library_meta': [('type', 'library'), ('urn', 'urn:x:risk:library:h'), ('version', 1)],
            'f_meta': [('type', 'framework'), ('urn', 'urn:x:risk:framework:h'), ('base_urn', 'urn:x:risk:req_node:h')],
            'f_content': content}
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook %s xmlns:r="%s"><sheets>%s</sheets></workbook>' % (
            NS, R, ''.join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (n, i, i) for i, n in enumerate(meta, 1))))
        z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>' % ''.join(
            '<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/s%d.xml"/>' % (i, R, i) for i in range(1, 4)))
        for i, rows in enumerate(meta.values(), 1):
            with z.open('xl/worksheets/s%d.xml' % i, 'w') as f:
                for piece in sheet(rows): f.write(piece.encode())
n = 100000
book(sys.argv[1], [('depth', 'ref_id', 'name')] + [(d, '', 'n') for d in range(1, n + 1)])
book(sys.argv[2], [('depth', 'ref_id', 'name')] + [(1, 'A.%d' % i, 'n') for i in range(n * 2)] + [(1, 'A.7', 'n')])
PY

# OSCAL params whose choices insert the next param 200 times, 4 deep: 200^4
# expansions, held to json-memory
/usr/bin/python3 -c "import sys; ps=[{'id': 'p4', 'label': '0123456789'}] + [{'id': 'p%d' % i, 'select': {'choice': ['{{ insert: param, p%d }}' % (i + 1) * 200]}} for i in range(4)]
import json; json.dump({'catalog': {'metadata': {'title': 't'}, 'controls': [{'id': 'c1', 'title': 't', 'params': ps, 'parts': [{'name': 'statement', 'prose': '{{ insert: param, p0 }}'}]}]}}, open(sys.argv[1], 'w'))" "$work/oscal-params.json"

# A text of 11 MB and an attribute of 12 MB in OSCAL XML, a text of 11 MB
# in ctlconv's XML: past what libxml2 reads without its huge option
/usr/bin/python3 -c "import sys; c='<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\" uuid=\"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\"><metadata><title>t</title></metadata><control id=\"c1\"><title>t</title>%s</control></catalog>'
open(sys.argv[1],'w').write(c % ('<part name=\"statement\"><p>' + 'x' * (11 << 20) + '</p></part>'))
open(sys.argv[2],'w').write(c % ('<prop name=\"n\" value=\"' + 'y' * (12 << 20) + '\"/>'))
open(sys.argv[3],'w').write('<controlList xmlns=\"urn:ctlconv:list:1\" version=\"2\"><items><item id=\"1\"><title>' + 'x' * (11 << 20) + '</title></item></items></controlList>')" \
    "$work/oscal-huge-text.xml" "$work/oscal-huge-attr.xml" "$work/xml-huge-text.xml"

while IFS='|' read -r file opts want; do
    file=$(echo "$file" | xargs) opts=$(echo "$opts" | xargs) want=${want# }
    case $file in ''|'#'*) continue ;; esac
    if [ -z "$want" ]; then ko "$file ($opts): no expected message in cases"; continue; fi
    src=$dir/$file
    [ -e "$src" ] || src=$work/$file
    rm -rf "$work/out" && mkdir "$work/out"
    # shellcheck disable=SC2086  # the options are words
    /usr/bin/time -f '%e %M' -o "$work/time" "$bin" $opts -o "$work/out/result" "$src" \
        >"$work/stdout" 2>"$work/stderr" </dev/null
    rc=$?
    read -r secs kb < <(tail -1 "$work/time")
    size=$(stat -c %s "$src")
    max_kb=$(( (65536 + 3 * size / 1024) * slow ))
    name="$file ($opts): exit $rc in ${secs}s, ${kb} KB"
    why=
    [ "$rc" = 1 ] || why="exit $rc, expected 1"
    grep -qF -- "$want" "$work/stderr" || why="$why; stderr lacks '$want'"
    # the input, or the output for a writer's refusal
    grep -qF -e "ctlconv: $src" -e "ctlconv: $work/out/result:" "$work/stderr" ||
        why="$why; the message does not name $src"
    grep -qE 'Sanitizer|runtime error' "$work/stderr" && why="$why; a sanitizer report"
    [ -s "$work/stdout" ] && why="$why; wrote to standard output"
    [ -n "$(ls -A "$work/out")" ] && why="$why; left $(ls -A "$work/out")"
    grep -q 'root:' "$work/stderr" "$work/stdout" && why="$why; leaked /etc/passwd"
    /usr/bin/python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 5 * $slow else 1)" "$secs" ||
        why="$why; over $((5 * slow)) s"
    [ "$kb" -le "$max_kb" ] || why="$why; over $max_kb KB"
    if [ -z "$why" ]; then ok "$name"; else ko "$name" "${why#; }: $(cat "$work/stderr")"; fi
done <"$dir/cases"

# ctlconv diff (issue 16): 2,000 items whose measures of 1,000 words all
# differ (word differences bounded per text and in all: CTL_DIFF_TOKENS_MAX,
# CTL_DIFF_CELLS_TOTAL), and 2,000 renumbered items all reworded (more pairs
# than CTL_DIFF_PAIRS_MAX): exit 1 (they differ), bounded in time and memory
/usr/bin/python3 - "$work/diff-old.json" "$work/diff-new.json" "$work/diff-ren.json" <<'PY'
import json, sys
def lst(prefix, word, n=2000):
    return {'items': [{'id': '%s%d' % (prefix, i), 'title': 't%d' % i,
                       'description': ' '.join('%s%d' % (word, k) for k in range(1000))} for i in range(1, n + 1)]}
json.dump(lst('A-', 'a'), open(sys.argv[1], 'w'))
json.dump(lst('A-', 'b'), open(sys.argv[2], 'w'))
json.dump(lst('B-', 'c'), open(sys.argv[3], 'w'))
PY
for pair in "diff-old.json diff-new.json" "diff-old.json diff-ren.json"; do
    # shellcheck disable=SC2086  # two file names
    (cd "$work" && /usr/bin/time -f '%e %M' -o "$work/time" "$bin" diff -q --format json $pair >"$work/stdout" 2>"$work/stderr")
    rc=$?
    read -r secs kb < <(tail -1 "$work/time")
    name="diff $pair: exit $rc in ${secs}s, ${kb} KB"
    why=
    [ "$rc" = 1 ] || why="exit $rc, expected 1"
    grep -qE 'Sanitizer|runtime error' "$work/stderr" && why="$why; a sanitizer report"
    /usr/bin/python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 5 * $slow else 1)" "$secs" ||
        why="$why; over $((5 * slow)) s"
    [ "$kb" -le $((262144 * slow)) ] || why="$why; over $((262144 * slow)) KB"
    if [ -z "$why" ]; then ok "$name"; else ko "$name" "${why#; }: $(head -3 "$work/stderr")"; fi
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
