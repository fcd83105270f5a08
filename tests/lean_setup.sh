#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Building needs less than testing (from the project root):
#   tests/lean_setup.sh CMAKE
# - .ci/install-deps: the build tier (README command 1) has no test, fuzz or
#   coverage tool; the test tier adds Check and the test tools; all adds
#   clang and lcov;
# - CMake configures on a machine without Check (a pkg-config that does not
#   know it), the tests off, with a message saying how to turn them on;
#   -DCTL_TESTS=ON then fails saying what to install; so does
#   CMAKE_DISABLE_FIND_PACKAGE_Check.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake=${1:-cmake}
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | head -8 | sed 's/^/    /'; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else ko "$1" "${3:-}"; fi; }

build=$(.ci/install-deps --list build | tr '\n' ' ')
test=$(.ci/install-deps --list test | tr '\n' ' ')
all=$(.ci/install-deps --list all | tr '\n' ' ')
check "install-deps: the default tier is build" '[ "$(.ci/install-deps --list | tr "\n" " ")" = "$build" ]'
bad=$(for p in $build; do case $p in check | libreoffice* | clang* | lcov | python3* | libxml2-utils) echo "$p" ;; esac; done)
check "install-deps build: no Check, LibreOffice, Python, xmllint, clang or lcov" '[ -z "$bad" ]' "$bad"
check "install-deps build: the toolchain and the -dev package of every library" \
    '(for p in build-essential cmake pkg-config libcsv-dev libxlsxwriter-dev libxml2-dev libjansson-dev libminizip-dev libutf8proc-dev libuchardet-dev uuid-dev libyaml-dev; do [[ " $build" == *" $p "* ]] || exit 1; done)'
check "install-deps test: build, and Check, LibreOffice, the Python libraries, xmllint, man, GNU parallel and rsync" \
    '[[ "$test" == "$build"* ]] && (for p in check libreoffice-calc-nogui python3-jsonschema python3-openpyxl python3-yaml libxml2-utils man-db parallel rsync; do [[ " $test" == *" $p "* ]] || exit 1; done)'
check "install-deps test: no clang or lcov" '! [[ " $test" == *" clang "* || " $test" == *" lcov "* ]]'
check "install-deps all: test, and clang and lcov" \
    '[[ "$all" == "$test"* ]] && [[ " $all" == *" clang "* ]] && [[ " $all" == *" lcov "* ]]'
.ci/install-deps nonsense >/dev/null 2>&1; rc=$?
check "install-deps: an unknown tier is a usage error" '[ $rc = 2 ]'

# A pkg-config that knows every module but Check.
real=$(command -v pkg-config)
cat >"$work/pkg-config" <<EOF
#!/bin/sh
for a in "\$@"; do [ "\$a" = check ] && exit 1; done
exec "$real" "\$@"
EOF
chmod +x "$work/pkg-config"
configure() {   # configure NAME ARGS...: a fresh configure, output in $work/NAME.log
    local name=$1
    shift
    PKG_CONFIG=$work/pkg-config "$cmake" -S . -B "$work/$name" "$@" >"$work/$name.log" 2>&1
}
configure auto; rc=$?
check "without Check: CMake configures" '[ $rc = 0 ]' "$(tail -8 "$work/auto.log")"
check "without Check: the message says the tests are off and how to turn them on" \
    'tr -s " \n" "  " <"$work/auto.log" | grep -q "Check (the unit test library) was not found: the tests are off. To build them, install it (.ci/install-deps test, or apt-get install check) and configure again"' \
    "$(grep -i check "$work/auto.log")"
check "without Check: no test is configured" '[ ! -e "$work/auto/tests/CTestTestfile.cmake" ]'
check "without Check: the install rules are there" 'grep -q ctlconv.pc "$work/auto/cmake_install.cmake"'
"$cmake" -B "$work/auto" -DPKG_CONFIG_EXECUTABLE="$real" >"$work/again.log" 2>&1; rc=$?
check "Check installed since: configuring again turns the tests on" \
    '[ $rc = 0 ] && [ -e "$work/auto/tests/CTestTestfile.cmake" ] && ! grep -q "tests are off" "$work/again.log"' \
    "$(tail -8 "$work/again.log")"
configure on -DCTL_TESTS=ON; rc=$?
check "without Check, -DCTL_TESTS=ON: an error saying what to install" \
    '[ $rc != 0 ] && tr -s " \n" "  " <"$work/on.log" | grep -q "CTL_TESTS=ON, but Check (the unit test library) was not found: install it"' \
    "$(tail -8 "$work/on.log")"
configure off -DCTL_TESTS=OFF; rc=$?
check "without Check, -DCTL_TESTS=OFF: configures, no message about Check" \
    '[ $rc = 0 ] && ! grep -q "unit test library" "$work/off.log"' "$(tail -8 "$work/off.log")"
"$cmake" -S . -B "$work/disabled" -DCMAKE_DISABLE_FIND_PACKAGE_Check=ON >"$work/disabled.log" 2>&1; rc=$?
check "CMAKE_DISABLE_FIND_PACKAGE_Check=ON: the tests are off, with the message" \
    '[ $rc = 0 ] && grep -q "the tests are off" "$work/disabled.log" && [ ! -e "$work/disabled/tests/CTestTestfile.cmake" ]' \
    "$(tail -8 "$work/disabled.log")"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
