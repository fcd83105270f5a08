#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Line and branch coverage of formats/ and converters/ by the whole test
# suite (gcov + lcov).  From the project root:  tests/coverage.sh
# Prints the summary; the HTML report lands in build-cov/coverage/.
set -euo pipefail
cmake -B build-cov -DCTL_COVERAGE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-cov -j2 >/dev/null
lcov --quiet --zerocounters --directory build-cov
ctest --test-dir build-cov >/dev/null || { echo "tests failed"; exit 1; }
lcov --quiet --rc lcov_branch_coverage=1 --capture --directory build-cov --output-file build-cov/all.info
lcov --quiet --rc lcov_branch_coverage=1 --extract build-cov/all.info "$PWD/formats/*" "$PWD/converters/*" \
    --output-file build-cov/ours.info
lcov --quiet --rc lcov_branch_coverage=1 --remove build-cov/ours.info "$PWD/converters/cli/*" \
    --output-file build-cov/lib.info
genhtml --quiet --branch-coverage build-cov/ours.info --output-directory build-cov/coverage >/dev/null
echo "formats/ and converters/ (the CLI, converters/cli/, included):"
lcov --rc lcov_branch_coverage=1 --summary build-cov/ours.info 2>&1 | grep -E 'lines|branches'
echo "per file (lines):"
lcov --rc lcov_branch_coverage=1 --list build-cov/ours.info 2>/dev/null | grep -E '^\S+\.c' | sed 's/^/  /'
