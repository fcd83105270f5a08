#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end checks of OSCAL XML (formats/oscal_xml.c): the XML written of
# OSCAL documents in their JSON form is valid by NIST's OSCAL 1.2.1 XSDs
# (xmllint) and reads back as the same tree: every member of the catalog
# and component-definition models (tests/data/oscal_xml), NIST's basic
# catalog and the SP 800-53 LOW baseline (/work/shared/corpora/real, skipped
# when missing).  Once oscal-xml is a registered format, the seed exported
# as OSCAL XML validates too and reads back as its 160 rows.
#   tests/e2e_oscal_xml.sh PATH/TO/ctlconv PATH/TO/oscal_xml_tool   (from the project root)
set -u
. "$(dirname "$0")/e2e_lib.sh" "$1"
tool=$2
xsd=${OSCAL_XSD_DIR:-/work/shared/grc/oscal-1.2.1}
real=${CTL_REAL_DIR:-/work/shared/corpora/real}
if ! command -v xmllint >/dev/null || [ ! -r "$xsd/oscal_catalog_schema.xsd" ]; then
    echo "SKIP xmllint or the OSCAL XSDs ($xsd) are missing"
    finish
    exit
fi

# valid NAME JSON SCHEMA: the XML of JSON validates and reads back the same
valid() {
    local name=$1 json=$2 schema=$3 xml=$work/$1.xml
    if ! "$tool" to-xml "$json" "$xml" 2>"$work/err"; then ko "$name: written" "$(cat "$work/err")"; return; fi
    xmllint --noout --schema "$xsd/$schema" "$xml" >"$work/lint" 2>&1 &&
        ok "$name: valid by $schema" || ko "$name: valid by $schema" "$(grep -v validates "$work/lint")"
    "$tool" same "$json" "$xml" >"$work/same" 2>&1 &&
        ok "$name: read back the same ($(cut -d: -f2- "$work/same" | sed 's/^ //'))" ||
        ko "$name: read back the same" "$(cat "$work/same")"
}

valid catalog-full tests/data/oscal_xml/catalog-full.json oscal_catalog_schema.xsd
valid component-full tests/data/oscal_xml/component-full.json oscal_component_schema.xsd
for c in basic-catalog NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog; do
    if [ -r "$real/$c.json" ]; then valid "$c" "$real/$c.json" oscal_catalog_schema.xsd
    else echo "SKIP $c: $real/$c.json is missing"; fi
done

# the check is live: an element out of the XSD's order is caught
sed 's|<title>A control outside groups</title>|<prop name="p" value="v"/>&|' "$work/catalog-full.xml" >"$work/misordered.xml"
grep -q '<prop name="p" value="v"/><title>A control' "$work/misordered.xml" &&
    ! xmllint --noout --schema "$xsd/oscal_catalog_schema.xsd" "$work/misordered.xml" 2>/dev/null &&
    ok "xmllint refuses <prop> before <title>" || ko "xmllint refuses <prop> before <title>"

# 7 MB of empty props (about 240 bytes each in jansson) refused within
# json-memory + 6 x the document, not read into 1.7 GB
slow=1
grep -qa '__asan_init' "$tool" && slow=4
/usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write('<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\"><control id=\"c\">' + '<prop/>' * (1 << 20) + '</control></catalog>')" "$work/props.xml"
/usr/bin/time -f '%M' -o "$work/rss" "$tool" same tests/data/oscal_xml/catalog-full.json "$work/props.xml" 2>"$work/err"
rc=$? kb=$(tail -1 "$work/rss") size_kb=$(( $(wc -c <"$work/props.xml") / 1024 ))
[ "$rc" = 1 ] && grep -q '\[limit\]' "$work/err" && [ "$kb" -le $(( (65536 + 3 * size_kb) * slow )) ] &&
    ok "${size_kb} KB of empty props refused in ${kb} KB" || ko "${size_kb} KB of empty props refused in ${kb} KB (exit $rc)" "$(cat "$work/err")"

# through the program, once the format is registered
if "$bin" --list-formats | grep -q '^oscal-xml '; then
    "$bin" -t oscal-xml --date 2024-01-01 -o "$work/seed.xml" samples/mic-cloud-guideline-v3-annex2-provider.txt 2>"$work/err" &&
        xmllint --noout --schema "$xsd/oscal_catalog_schema.xsd" "$work/seed.xml" 2>"$work/lint" &&
        ok "the seed as oscal-xml: valid" || ko "the seed as oscal-xml: valid" "$(cat "$work/err" "$work/lint")"
    rows=$("$bin" -f oscal-xml -t csv "$work/seed.xml" 2>"$work/err" | /usr/bin/python3 -c 'import csv,sys; print(len(list(csv.reader(sys.stdin))) - 1)')
    check "the seed's oscal-xml read back: 160 rows" '[ "$rows" = 160 ]' "$rows rows; $(cat "$work/err")"
else
    echo "SKIP the seed through the program: oscal-xml is not registered"
fi
finish
