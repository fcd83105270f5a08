#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of CISO Assistant's library workbook (formats/ciso_xlsx.c):
# a library tree with Japanese and hostile text written as a workbook that
# openpyxl opens with the sheets and headers CISO Assistant's converter
# reads, that LibreOffice converts, that reads back as the same tree and,
# when the converter is at hand ($CISO_CONVERTER, else
# ../shared/grc/convert_library_v2.py), that the converter turns into that
# library; the real ISO/IEC 27001:2022 workbook read as the converter reads
# it; the CLI handing library workbooks to the CISO reading.
#   tests/e2e_ciso_xlsx.sh PATH/TO/ctlconv PATH/TO/ciso_xlsx_tool   (from the project root)
# Prints one line per check and a closing "N passed, N failed" line.
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
tool=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
real=${CTL_REAL:-../shared/corpora/real}
pyx=/usr/bin/python3   # Debian's, with openpyxl and yaml
conv=${CISO_CONVERTER:-../shared/grc/convert_library_v2.py}

# run NAME ARGS...: ARGS run, output in $work/out, errors in $work/err, status in rc
run() { "$@" >"$work/out" 2>"$work/err"; rc=$?; }

# The converter, made to run on this Python: it writes "except A, B:"
# (Python 3.14); older ones need the parentheses.
have_conv=0
if [ -f "$conv" ] && $pyx -c 'import openpyxl, yaml' 2>/dev/null; then
    sed -E 's/except ([A-Za-z]+Error), ([A-Za-z]+Error):/except (\1, \2):/' "$conv" >"$work/convert.py"
    $pyx -c "import ast, sys; ast.parse(open(sys.argv[1]).read())" "$work/convert.py" 2>/dev/null && have_conv=1
fi
[ $have_conv = 1 ] || echo "SKIP CISO Assistant's converter not at hand (set CISO_CONVERTER): its reading not compared"

# compare.py OURS.json THEIRS.yaml: the converter's library against ours,
# its extras aside (its version line, a date it makes up, nulls, the
# reverse mapping set, objects ctlconv leaves out); prints the differences
cat >"$work/compare.py" <<'PY'
import json, sys, yaml
ours = json.load(open(sys.argv[1]))
theirs = yaml.safe_load(open(sys.argv[2]))
def clean(x):
    if isinstance(x, dict): return {k: clean(v) for k, v in x.items() if v is not None}
    if isinstance(x, list): return [clean(v) for v in x]
    return str(x) if hasattr(x, 'isoformat') else x
theirs = clean(theirs)
theirs.pop('convert_library_version', None)
if 'publication_date' not in ours: theirs.pop('publication_date', None)
objs = theirs.get('objects', {})
for k in list(objs):
    if k not in ('framework', 'requirement_mapping_sets'): objs.pop(k)
def diff(a, b, path=''):
    if type(a) != type(b): print(path, repr(a)[:60], '!=', repr(b)[:60]); return
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b: print(path + '/' + k, 'only in', 'theirs' if k not in a else 'ours')
            else: diff(a[k], b[k], path + '/' + k)
    elif isinstance(a, list):
        if len(a) != len(b): print(path, 'lengths', len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)): diff(x, y, '%s/%d' % (path, i))
    elif a != b: print(path, repr(a)[:60], '!=', repr(b)[:60])
diff(ours, theirs)
PY

# --- a library made here, written and read back ---------------------------
$pyx - "$work/lib.json" <<'PY'
import json, sys
B = "urn:ctlconv:risk:req_node:mic"
def node(suffix, depth, parent, **kw):
    n = {"urn": B + ":" + suffix, "assessable": depth == 3, "depth": depth}
    if parent: n["parent_urn"] = B + ":" + parent
    n.update(kw)
    return n
nodes = [
    node("ii.1", 1, None, ref_id="II.1", name="組織的セキュリティ"),
    node("ii.1.1", 2, "ii.1", ref_id="II.1.1", name="情報セキュリティのための方針群"),
    node("ii.1.1.1", 3, "ii.1.1", ref_id="II.1.1.1", name="=SUM(A1:A9)", importance="mandatory",
         description="・方針を定める\n・<&> \"quotes\" _x0041_ 😀\tタブ"),
    node("ii.1.1.2", 3, "ii.1.1", ref_id="II.1.1.2", name="+cmd|' /C calc'!A0", importance="recommended",
         description="@HYPERLINK(\"x\")", annotation="-1"),
    node("ii.1.1.2#1", 4, "ii.1.1.2", name="番号のない行"),
    node("ii.1.1.2#2", 4, "ii.1.1.2"),
    node("_ac-2_o1_c", 3, "ii.1.1", ref_id="AC-2(1)", name="括弧"),
    node("ⅲ.1", 1, None, ref_id="Ⅲ.1", name="全角の番号", translations={"en": {"name": "Part III"}}),
]
mappings = [{"source_requirement_urn": B + ":ii.1.1.1", "target_requirement_urn": "urn:intuitem:risk:req_node:iso27001-2013:a.5.1.1",
             "relationship": "intersect"},
            {"source_requirement_urn": B + ":ii.1.1.2", "target_requirement_urn": "urn:intuitem:risk:req_node:iso27001-2013:a.5.1.2",
             "relationship": "intersect", "rationale": "参照", "strength_of_relationship": 5}]
lib = {"urn": "urn:ctlconv:risk:library:mic", "locale": "ja", "ref_id": "mic", "version": 3,
       "name": "クラウドサービス提供における情報セキュリティ対策ガイドライン", "description": "ANNEX2 対策一覧\n二行目",
       "publication_date": "2024-07-09", "provider": "総務省", "packager": "ctlconv",
       "dependencies": ["urn:intuitem:risk:library:iso27001-2013"],
       "objects": {"framework": {"urn": "urn:ctlconv:risk:framework:mic", "ref_id": "mic", "name": "対策一覧",
                                 "requirement_nodes": nodes}}}
# the set and its reverse, as CISO Assistant's converter makes it
fw = {"urn": "urn:ctlconv:risk:req_mapping_set:mic-to-iso27001-2013", "ref_id": "mic-to-iso27001-2013",
      "name": "対策一覧 → ISO/IEC 27001:2013", "source_framework_urn": "urn:ctlconv:risk:framework:mic",
      "target_framework_urn": "urn:intuitem:risk:framework:iso27001-2013", "requirement_mappings": mappings}
rev = dict(fw, urn=fw["urn"] + "-revert", ref_id=fw["ref_id"] + "-revert", source_framework_urn=fw["target_framework_urn"],
           target_framework_urn=fw["source_framework_urn"],
           requirement_mappings=[dict(m, source_requirement_urn=m["target_requirement_urn"],
                                      target_requirement_urn=m["source_requirement_urn"]) for m in mappings])
lib["objects"]["requirement_mapping_sets"] = [fw, rev]
json.dump(lib, open(sys.argv[1], "w"), ensure_ascii=False, indent=1)
PY
run "$tool" write "$work/lib.json" "$work/lib.xlsx"
check "a library tree written as a workbook" "[ $rc = 0 ] && [ ! -s '$work/err' ]" "$(cat "$work/err")"

if $pyx -c 'import openpyxl' 2>/dev/null; then
    got=$($pyx - "$work/lib.xlsx" <<'PY' 2>&1
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
out = [",".join(wb.sheetnames)]
for s in ("library_meta", "framework_meta", "mappings_meta"):
    kv = {r[0]: r[1] for r in wb[s].iter_rows(values_only=True)}
    out.append("%s:%s" % (s, kv["type"]))
fm = {r[0]: r[1] for r in wb["framework_meta"].iter_rows(values_only=True)}
out.append(fm["base_urn"])
rows = list(wb["framework_content"].iter_rows(values_only=True))
out.append(",".join(rows[0]))
out.append(" ".join(str(r[1]) for r in rows[1:]))                  # depths: numbers
out.append(" ".join(r[0] or "-" for r in rows[1:]))                 # assessable
out.append(" ".join(r[3] or "-" for r in rows[1:]))                 # node_id: where needed only
out.append(rows[3][4])
out.append(",".join(next(wb["mappings_content"].iter_rows(values_only=True))))
print("\n".join(out))
PY
)
    want="library_meta,framework_meta,framework_content,mappings_meta,mappings_content
library_meta:library
framework_meta:framework
mappings_meta:requirement_mapping_set
urn:ctlconv:risk:req_node:mic
assessable,depth,ref_id,node_id,name,description,annotation,importance,name[en]
1 2 3 3 4 4 3 1
- - x x - - x -
- - - - ii.1.1.2#1 ii.1.1.2#2 _ac-2_o1_c ⅲ.1
=SUM(A1:A9)
source_node_id,target_node_id,relationship,rationale,strength_of_relationship"
    check "openpyxl opens it: the sheets, keys and headers the converter reads; a formula-like name is text" \
        "[ \"\$got\" = \"\$want\" ]" "$(diff <(echo "$want") <(echo "$got"))"
else
    echo "SKIP no openpyxl: the workbook's sheets not checked"
fi

run "$tool" read "$work/lib.xlsx"
cp "$work/out" "$work/back.json"
check "read back: the same tree" \
    "[ $rc = 0 ] && $pyx -c 'import json,sys; sys.exit(json.load(open(\"$work/lib.json\")) != json.load(open(\"$work/back.json\")))'" \
    "$(cat "$work/err")"

if [ $have_conv = 1 ]; then
    (cd "$work" && $pyx convert.py lib.xlsx --output conv.yaml >conv.log 2>&1); rc=$?
    check "CISO Assistant's converter takes the workbook" "[ $rc = 0 ]" "$(tail -3 "$work/conv.log")"
    got=$($pyx "$work/compare.py" "$work/lib.json" "$work/conv.yaml" 2>&1)
    check "... and makes the library of the tree: URNs, depths, parents, names, mappings" "[ -z \"\$got\" ]" "$got"
fi

if command -v soffice >/dev/null 2>&1; then
    (cd "$work" && timeout 120 soffice -env:UserInstallation=file://$work/lo --headless --convert-to csv \
        --outdir "$work/lo-out" lib.xlsx >"$work/lo.log" 2>&1); rc=$?
    check "LibreOffice opens it and converts its first sheet" \
        "[ $rc = 0 ] && head -1 '$work/lo-out/lib.csv' | grep -q '^type,library'" "$(cat "$work/lo.log")"
else
    echo "SKIP no LibreOffice: not opened with it"
fi

# --- the real workbook -------------------------------------------------------
f=$real/iso27001-2022.xlsx
# csv_rows: the data rows of the CSV output
csv_rows() { $pyx -c 'import csv, sys; print(len(list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))))' "$work/out" 2>&1; }
if [ -f "$f" ]; then
    f=$(cd "$(dirname "$f")" && pwd)/$(basename "$f")
    run "$tool" read "$f"
    cp "$work/out" "$work/iso.json"
    got=$($pyx - "$work/iso.json" <<'PY' 2>&1
import json, sys, collections
n = json.load(open(sys.argv[1]))["objects"]["framework"]["requirement_nodes"]
by = {x["urn"].rsplit(":", 1)[1]: x for x in n}
d = collections.Counter(x["depth"] for x in n)
print(len(n), sorted(d.items()), sum(x["assessable"] for x in n),
      by["4.1"]["parent_urn"].rsplit(":", 1)[1], by["a.5.1"]["parent_urn"].rsplit(":", 1)[1], by["4"]["name"])
PY
)
    check "iso27001-2022.xlsx: 140 nodes, their depths and parents" \
        "[ \"\$got\" = \"140 [(1, 2), (2, 11), (3, 116), (4, 11)] 123 4 a.5 Context of the organization\" ]" "$got $(cat "$work/err")"
    check "... its reference controls said left out" "grep -q 'field-dropped.*reference_controls' '$work/err'" "$(cat "$work/err")"
    if [ $have_conv = 1 ]; then
        (cd "$work" && $pyx convert.py "$f" --output iso.yaml >conv.log 2>&1)
        got=$($pyx "$work/compare.py" "$work/iso.json" "$work/iso.yaml" 2>&1)
        check "... the library CISO Assistant's converter makes of it" "[ -z \"\$got\" ]" "$got"
    fi

    # the CLI: with no options, a library workbook goes to the CISO reading
    run "$bin" -t csv "$f"
    if grep -q 'CISO Assistant libraries are not read yet' "$work/err"; then
        ok "iso27001-2022.xlsx with no options: handed to the CISO reading (whose library rules are a stub here)"
    else
        check "iso27001-2022.xlsx with no options: read as CISO Assistant's library, 140 items" \
            "[ $rc = 0 ] && [ \"\$(csv_rows)\" = 140 ]" "$(head -3 "$work/err")"
    fi
    run "$bin" -f xlsx --sheet req_content -t csv "$f"
    check "-f xlsx --sheet req_content: the sheet read as a table, 140 rows" \
        "[ $rc = 0 ] && [ \"\$(csv_rows)\" = 140 ] && ! grep -q 'field-dropped' '$work/err'" "$(head -3 "$work/err")"
else
    echo "SKIP $f is missing: the real workbook not read"
fi

# --- refused -----------------------------------------------------------------
# a workbook with library_meta is a library workbook: what its reading
# refuses is said, with the code
if $pyx -c 'import openpyxl' 2>/dev/null; then
    $pyx - "$work/bad.xlsx" <<'PY'
import openpyxl, sys
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "library_meta"
for r in (("type", "library"), ("urn", "urn:x:risk:library:b"), ("version", "1")):
    ws.append(r)
m = wb.create_sheet("f_meta")
for r in (("type", "framework"), ("urn", "urn:x:risk:framework:b"), ("base_urn", "urn:x:risk:req_node:b")):
    m.append(r)
c = wb.create_sheet("f_content")
for r in (("depth", "ref_id"), (1, "1"), (3, "1.1.1")):
    c.append(r)
wb.save(sys.argv[1])
PY
    run "$bin" -t csv "$work/bad.xlsx"
    check "a depth that jumps: refused with its row (exit 1, bad-structure)" \
        "[ $rc = 1 ] && grep -q 'bad.xlsx\[f_content\]:3: depth 3 after depth 1.*\[bad-structure\]' '$work/err'" "$(cat "$work/err")"
fi
head -c 2000 "$work/lib.xlsx" >"$work/cut.xlsx"
run "$tool" read "$work/cut.xlsx"
check "a workbook cut short: corrupt-workbook, no crash" "[ $rc = 1 ] && grep -q 'corrupt-workbook' '$work/err'" "$(cat "$work/err")"
run "$bin" -t csv "$work/cut.xlsx"
check "... through the CLI: exit 1" "[ $rc = 1 ]" "$(cat "$work/err")"

finish
