#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end checks of the OSCAL formats as a reviewer and an auditor meet
# them (issue 13, review): real lists through OSCAL JSON and XML and back
# (valid by the schemas, the same list answers aside, the component
# definition's control-ids in the catalog); NIST's 800-53 LOW baseline as a
# spreadsheet (labels as ids, params as NIST prints them) that every format
# reads back; hostile OSCAL inputs refused with their codes.
#   tests/e2e_oscal_review.sh PATH/TO/ctlconv        (run from the project root)
# The schemas and the real lists: ../shared/grc/oscal-1.2.1 ($CTL_OSCAL_SCHEMAS)
# and ../shared/corpora/real ($CTL_REAL); their checks are skipped with a
# message when they are absent.
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
seed=samples/mic-cloud-guideline-v3-annex2-provider.txt
schemas=${CTL_OSCAL_SCHEMAS:-../shared/grc/oscal-1.2.1}
real=${CTL_REAL:-../shared/corpora/real}
pyx=/usr/bin/python3   # Debian's, with python3-jsonschema
export SOURCE_DATE_EPOCH=1764547200

run() { "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null; rc=$?; }

have_schemas() { [ -d "$schemas" ] && $pyx -c 'import jsonschema' 2>/dev/null && command -v xmllint >/dev/null; }

# same NAME A B: the lists A and B (ctlconv JSON) hold the same items and
# metadata, answers aside
same() {
    local got
    got=$($pyx - "$2" "$3" <<'PY' 2>&1
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
for x in a["items"]:
    x["answer"] = ""
diff = [k for k in a if k != "items" and a[k] != b.get(k)]
diff += [f"item {i} ({x['id']}): {k}" for i, (x, y) in enumerate(zip(a["items"], b["items"])) for k in x if x[k] != y.get(k)]
if len(a["items"]) != len(b["items"]):
    diff.append(f"{len(a['items'])} items, {len(b['items'])} read back")
print("; ".join(diff[:3]) or "same")
PY
)
    if [ "$got" = same ]; then ok "$1"; else ko "$1" "$got"; fi
}

# component NAME CATALOG COMPONENT LIST: one implemented requirement per
# answered item, each control-id a control of the catalog, the source its UUID
component() {
    local got
    got=$($pyx - "$2" "$3" "$4" <<'PY' 2>&1
import json, sys
cat = json.load(open(sys.argv[1]))["catalog"]
cd = json.load(open(sys.argv[2]))["component-definition"]
answers = sum(1 for i in json.load(open(sys.argv[3]))["items"] if i["answer"])
controls = set()
def walk(n):
    for c in n.get("controls", []):
        controls.add(c["id"]); walk(c)
    for g in n.get("groups", []):
        walk(g)
walk(cat)
cis = [ci for c in cd["components"] for ci in c.get("control-implementations", [])]
reqs = [r for ci in cis for r in ci["implemented-requirements"]]
bad = [r["control-id"] for r in reqs if r["control-id"] not in controls]
print(len(reqs) == answers and not bad and all(ci["source"] == "urn:uuid:" + cat["uuid"] for ci in cis)
      or f"{len(reqs)} requirements for {answers} answers; not in the catalog: {bad[:3]}")
PY
)
    if [ "$got" = True ]; then ok "$1"; else ko "$1" "$got"; fi
}

# through NAME FILE: FILE to oscal-json and oscal-xml (valid), read back the
# same list; its answers (every third item given one when it has none) as
# a component definition in both forms, valid, pointing into the catalog
through() {
    local name=$1 f=$2
    run -t json -o "$work/$name.json" "$f"
    check "$name -> json: exit 0" '[ $rc = 0 ]' "$(cat "$work/err")"
    $pyx - "$work/$name.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
if not any(i["answer"] for i in d["items"]):
    for k, i in enumerate(d["items"]):
        if k % 3 == 0:
            i["answer"] = f"回答 {k}"
json.dump(d, open(sys.argv[1], "w", encoding="utf-8"), ensure_ascii=False)
PY
    for t in oscal-json oscal-xml; do
        run -t $t -o "$work/$name.$t" "$work/$name.json"
        check "$name -> $t: exit 0" '[ $rc = 0 ]' "$(cat "$work/err")"
        run -f $t -t json -o "$work/$name.$t.back" "$work/$name.$t"
        check "$name -> $t -> json: exit 0" '[ $rc = 0 ]' "$(cat "$work/err")"
        same "$name -> $t -> json: the same list, answers aside" "$work/$name.json" "$work/$name.$t.back"
    done
    run -t oscal-component-json -o "$work/$name.cd.json" "$work/$name.json"
    run -t oscal-component-xml -o "$work/$name.cd.xml" "$work/$name.json"
    check "$name -> oscal-component-json/xml: exit 0" '[ $rc = 0 ]' "$(cat "$work/err")"
    component "$name -> oscal-component-json: a requirement per answer, each a control of the catalog" \
        "$work/$name.oscal-json" "$work/$name.cd.json" "$work/$name.json"
    if have_schemas; then
        $pyx tests/oscal_validate.py "$schemas" "$work/$name.oscal-json" "$work/$name.cd.json" >"$work/v" 2>&1
        vrc=$?
        check "$name: the catalog and component definition valid by the JSON schemas, ids unique" '[ $vrc = 0 ]' \
            "$(cat "$work/v")"
        xmllint --noout --schema "$schemas/oscal_catalog_schema.xsd" "$work/$name.oscal-xml" >"$work/v" 2>&1 &&
            xmllint --noout --schema "$schemas/oscal_component_schema.xsd" "$work/$name.cd.xml" >"$work/v" 2>&1
        vrc=$?
        check "$name: the catalog and component definition valid by the XSDs" '[ $vrc = 0 ]' "$(cat "$work/v")"
    fi
}

# --- real lists through OSCAL and back ---------------------------------------------
if ! have_schemas; then echo "SKIP schema checks: no schemas at $schemas, python3-jsonschema or xmllint"; fi
through seed "$seed"
if [ ! -d "$real" ]; then
    echo "SKIP no development set at $real: the real lists are not tried"
else
    through touitsukijun "$real/touitsukijun_r7.json"
    through ismap "$real/ismap-control-criteria-2022-04-01.csv"
    through cis "$real/cis-controls-v8.csv"
    through iso27001-2022 "$real/iso27001-2022.xlsx"

    # --- NIST's 800-53 LOW baseline for review ----------------------------------------
    f=$real/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json
    run -t json -o "$work/low.json" "$f"
    check "800-53 LOW -> json: the families' tokens (ac) no ids: made, said once" \
        '[ $rc = 0 ] && [ "$(grep -c "'"'"'ac'"'"' is no identifier: kept as the label of #1.*and 17 more" "$work/err")" = 1 ]' \
        "$(cat "$work/err")"
    run -t json -o "$work/low2.json" "$work/low.json"
    check "800-53 LOW -> json -> json: read back (every id one of the model's)" '[ $rc = 0 ]' "$(cat "$work/err")"
    run -t csv -o "$work/low.csv" "$f"
    check "800-53 LOW -> csv: no label lost (the labels are the ids)" \
        '[ $rc = 0 ] && ! grep -q "label-rewritten" "$work/err"' "$(cat "$work/err")"
    row() { $pyx -c "import csv,sys; r=[x for x in csv.DictReader(open(sys.argv[1])) if x['id'] == sys.argv[2]][0]; print($3)" "$work/low.csv" "$2" 2>&1; }
    check "800-53 LOW -> csv: IA-2(1) under IA-2, its OSCAL id ia-2.1 beside it" \
        '[ "$(row x "IA-2(1)" "r[\"parent\"], r[\"id (OSCAL)\"]")" = "IA-2 ia-2.1" ]' \
        "$(row x "IA-2(1)" "r[\"parent\"], r[\"id (OSCAL)\"]")"
    check "800-53 LOW -> csv: no param insert left unreadable" '! grep -q "{{ insert" "$work/low.csv"' \
        "$(grep -m1 "{{ insert" "$work/low.csv")"
    check "800-53 LOW -> csv: params as NIST prints them" \
        'grep -q "a. Develop, document, and disseminate to \[Assignment: organization-defined personnel or roles\]:" "$work/low.csv" &&
         grep -q "  1. \[Selection (one or more): organization-level; mission/business process-level; system-level\] access control policy" "$work/low.csv"'
    check "800-53 LOW -> csv: AT-2(2) requires at-2 (the OSCAL id, not the link)" \
        '[ "$(row x "AT-2(2)" "r[\"required\"]")" = at-2 ]' "$(row x "AT-2(2)" "r[\"required\"]")"
fi

# --- hostile OSCAL inputs -----------------------------------------------------------
cat='{"catalog": {"metadata": {"title": "t"}'
printf '%s, "groups": {}}}' "$cat" >"$work/groups-object.json"
run -t csv "$work/groups-object.json"
check "groups not an array: exit 1, [bad-field] (not no-rows)" \
    '[ $rc = 1 ] && grep -q "the catalog: .groups. must be an array \[bad-field\]" "$work/err"' "$(cat "$work/err")"
cat >"$work/ours-bad-id.json" <<'EOF'
{"catalog": {"metadata": {"title": "t", "props": [{"name": "model", "ns": "https://github.com/ctlconv/ns/oscal",
 "value": "ctlconv-list-2"}]}, "controls": [{"id": "c1", "title": "t", "props": [{"name": "id",
 "ns": "https://github.com/ctlconv/ns/oscal", "value": "ac"}]}]}}
EOF
run -t json "$work/ours-bad-id.json"
check "a catalog of ctlconv's whose id is no identifier: exit 1, [bad-field]" \
    '[ $rc = 1 ] && grep -q "the id .ac. is no identifier.*\[bad-field\]" "$work/err"' "$(cat "$work/err")"

# --- OSCAL XML in UTF-16 (PowerShell's redirection writes it) -------------------------
cat >"$work/utf8.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724">
  <metadata><title>目録</title><last-modified>2024-01-01T00:00:00Z</last-modified><version>1</version>
    <oscal-version>1.2.1</oscal-version></metadata>
  <control id="c-1"><title>管理策</title><part name="statement"><p>文</p></part></control>
</catalog>
EOF
for enc in UTF-16LE UTF-16BE; do
    { if [ $enc = UTF-16LE ]; then printf '\xff\xfe'; else printf '\xfe\xff'; fi
      sed 's/encoding="UTF-8"/encoding="UTF-16"/' "$work/utf8.xml" | iconv -f UTF-8 -t $enc; } >"$work/utf16.xml"
    run -t json -o "$work/utf16.json" "$work/utf16.xml"
    check "OSCAL XML in $enc with its byte-order mark: found and read" '[ $rc = 0 ]' "$(cat "$work/err")"
    run -t json -o "$work/utf8.json" "$work/utf8.xml"
    check "OSCAL XML in $enc: the list of its UTF-8 form" 'cmp -s "$work/utf8.json" "$work/utf16.json"'
done

finish
