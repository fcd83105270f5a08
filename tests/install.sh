#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# What `cmake --install` and `cpack -G DEB` give a user, checked from the
# outside (from the project root):
#   tests/install.sh BUILD/ctlconv BUILD-DIR CMAKE CPACK CC
# - install into a fresh prefix: the program, libctlconv.so (SONAME,
#   version) and libctlconv.a (position-independent), the header, ctlconv.pc,
#   the CMake package config, the man page, the bash completion, the license;
# - libctlconv.so exports the functions include/ctlconv.h declares, no more;
# - the example consumer (tests/consumer/) built against the prefix through
#   pkg-config (shared and static) and through find_package writes what the
#   installed program writes;
# - the installed program, run away from the build tree, converts the seed to
#   every format it writes, as the program in the build tree does;
# - the bash completion offers the options and the formats;
# - cpack -G DEB: three packages, inspected with dpkg-deb --info/--contents,
#   whose Depends name the package of every library they link (skipped
#   without dpkg-deb);
# - as root in CI (CI=true), the packages installed with apt-get, used, and
#   purged (skipped otherwise, and in sanitizer builds).
# CTL_CFLAGS: extra flags for building the consumer (the sanitizer build's).
. "$(dirname "$0")/e2e_lib.sh" "$1"
build=$(cd "$2" && pwd)
cmake=${3:-cmake}
cpack=${4:-cpack}
cc=${5:-cc}
root=$PWD
seed=$root/samples/mic-cloud-guideline-v3-annex2-provider.txt
read -ra cflags <<<"${CTL_CFLAGS:-}"

prefix=$work/prefix
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1; rc=$?
check "cmake --install into a fresh prefix" '[ $rc = 0 ]' "$(tail -5 "$work/install.log")"

version=$("$bin" --version | awk '{print $2}')
prog=$prefix/bin/ctlconv
so=$(find "$prefix" -name "libctlconv.so.$version" | head -1)
libdir=$(dirname "${so:-$prefix/lib/x}")
check "the program is installed" '[ -x "$prog" ]'
check "libctlconv.so.$version is installed" '[ -f "$so" ]'
check "libctlconv.so.${version%%.*} and libctlconv.so link to it" \
    '[ "$(readlink -f "$libdir/libctlconv.so")" = "$so" ] && [ "$(readlink -f "$libdir/libctlconv.so.${version%%.*}")" = "$so" ]'
soname=$(readelf -d "$so" 2>/dev/null | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
check "the SONAME is libctlconv.so.${version%%.*}" '[ "$soname" = "libctlconv.so.${version%%.*}" ]' "SONAME: $soname"
check "libctlconv.a is installed" '[ -f "$libdir/libctlconv.a" ]'
check "the header is installed" 'cmp -s "$prefix/include/ctlconv.h" "$root/include/ctlconv.h"'
check "ctlconv.pc is installed" '[ -f "$libdir/pkgconfig/ctlconv.pc" ]'
check "the CMake package config is installed" \
    '[ -f "$libdir/cmake/ctlconv/ctlconvConfig.cmake" ] && [ -f "$libdir/cmake/ctlconv/ctlconvConfigVersion.cmake" ]'
check "the man page is installed" '[ -f "$prefix/share/man/man1/ctlconv.1.gz" ]'
check "the bash completion is installed" '[ -f "$prefix/share/bash-completion/completions/ctlconv" ]'
check "the license is installed" 'cmp -s "$prefix/share/doc/ctlconv/copyright" "$root/LICENSE"'
if command -v man >/dev/null; then
    man_err=$(MANWIDTH=80 man --warnings -l "$prefix/share/man/man1/ctlconv.1.gz" 2>&1 >"$work/man.txt")
    check "man -l renders the installed page without warnings" \
        '[ -z "$man_err" ] && grep -q "ctlconv - convert security control lists" "$work/man.txt"' "$man_err"
else
    echo "SKIP man -l on the installed page: man is not installed (.ci/install-deps test)"
fi

# Only the API: the defined dynamic symbols are the functions the header
# declares (a declaration starts a line: "type ctl_name(" or "type *ctl_name("),
# and one more: zipOpenNewFileInZip4_64, the XLSX writer's pass-through of
# minizip's, which sets libxlsxwriter's deflate level (formats/xlsx_write.c).
interposed=zipOpenNewFileInZip4_64
nm -D --defined-only "$so" | awk '{print $NF}' | sort >"$work/exported"
{ sed -nE 's/^[a-z][^(;]*[ *](ctl_[a-z0-9_]+)\(.*/\1/p' "$prefix/include/ctlconv.h"; echo "$interposed"; } |
    sort -u >"$work/declared"
check "nm -D: libctlconv.so exports ctl_ symbols and $interposed only" \
    '! grep -v -e "^ctl_" -e "^$interposed\$" "$work/exported" | grep -q .' \
    "$(grep -v -e '^ctl_' -e "^$interposed\$" "$work/exported")"
diff "$work/declared" "$work/exported" >"$work/symdiff"; rc=$?
check "nm -D: the exported symbols are the functions ctlconv.h declares ($(wc -l <"$work/declared"))" \
    '[ $rc = 0 ]' "$(cat "$work/symdiff")"

# libctlconv.a is position-independent: it links into a shared object.
export PKG_CONFIG_PATH=$libdir/pkgconfig
static_libs=$(pkg-config --static --libs ctlconv)
static_libs=${static_libs/-lctlconv/$libdir/libctlconv.a}
"$cc" -shared -o "$work/pic.so" -Wl,--whole-archive "$libdir/libctlconv.a" -Wl,--no-whole-archive \
    "${cflags[@]}" $(pkg-config --static --libs-only-l ctlconv | sed 's/-lctlconv//') >"$work/pic.log" 2>&1; rc=$?
check "libctlconv.a links into a shared object (built -fPIC)" '[ $rc = 0 ]' "$(cat "$work/pic.log")"

# The example consumer against the prefix, and the program, away from the build tree.
mkdir -p "$work/run" && cp "$seed" "$work/run/seed.txt" && cd "$work/run" || exit 1
env -u LD_LIBRARY_PATH "$prog" -t json seed.txt >cli.json 2>/dev/null; rc=$?
check "the installed program converts the seed to JSON" '[ $rc = 0 ] && [ -s cli.json ]'
consumer=$root/tests/consumer
"$cc" -Wall -Wextra -Werror "${cflags[@]}" -o by-pc "$consumer/consumer.c" $(pkg-config --cflags --libs ctlconv) \
    >pc.log 2>&1; rc=$?
check "the consumer builds with pkg-config --cflags --libs ctlconv" '[ $rc = 0 ]' "$(cat pc.log)"
LD_LIBRARY_PATH=$libdir ./by-pc seed.txt >by-pc.json 2>by-pc.err; rc=$?
check "the consumer (pkg-config) writes what ctlconv -t json writes" \
    '[ $rc = 0 ] && cmp -s by-pc.json cli.json' "$(cat by-pc.err)"
check "the consumer walked 160 items, 121 with a measure" 'grep -q "160 items (text), 121 with a measure" by-pc.err' \
    "$(cat by-pc.err)"
"$cc" -Wall -Wextra -Werror "${cflags[@]}" -o static "$consumer/consumer.c" $(pkg-config --cflags ctlconv) \
    $static_libs >static.log 2>&1; rc=$?
check "the consumer links libctlconv.a with pkg-config --static --libs ctlconv" '[ $rc = 0 ]' "$(cat static.log)"
check "... and needs no libctlconv.so" '! readelf -d static | grep -q "libctlconv"'
./static seed.txt 2>/dev/null | cmp -s - cli.json; rc=$?
check "the consumer (static) writes what ctlconv -t json writes" '[ $rc = 0 ]'
"$cmake" -S "$consumer" -B fp -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_C_FLAGS="${CTL_CFLAGS:-}" >fp.log 2>&1 && "$cmake" --build fp >>fp.log 2>&1; rc=$?
check "the consumer builds with find_package(ctlconv) and ctlconv::ctlconv" '[ $rc = 0 ]' "$(tail -5 fp.log)"
env -u LD_LIBRARY_PATH fp/consumer seed.txt 2>/dev/null | cmp -s - cli.json; rc=$?
check "the consumer (find_package) writes what ctlconv -t json writes" '[ $rc = 0 ]'

# The installed program needs nothing of the build tree: no run path into
# it, no library found there; each format it writes comes out as the build
# tree's program writes it.
check "the installed program has no run path into the build tree" \
    '! readelf -d "$prog" "$so" | grep -E "R(UN)?PATH" | grep -qF "$build"'
check "the installed program loads no library from the build tree" \
    '! env -u LD_LIBRARY_PATH ldd "$prog" | grep -qF "$build"'
formats=$(env -u LD_LIBRARY_PATH "$prog" --list-formats | awk 'NR > 1 && NF == 0 { exit } NR > 1 && $3 == "yes" { print $1 }')
check "the installed program lists the formats it writes" '[ -n "$formats" ]'
for f in $formats; do
    env -u LD_LIBRARY_PATH "$prog" -t "$f" -o "seed.$f" seed.txt 2>/dev/null &&
        "$bin" -t "$f" -o "build.$f" seed.txt 2>/dev/null && cmp -s "seed.$f" "build.$f"; rc=$?
    check "the installed program writes the seed as $f (as the build tree's does)" '[ $rc = 0 ]'
done

# The bash completion: options from --help, formats from --list-formats.
complete_words() {
    PATH=$prefix/bin:$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ctlconv
        printf "%s\n" "${COMPREPLY[@]}"' sh "$prefix/share/bash-completion/completions/ctlconv" "$@" 2>/dev/null
}
check "completion: ctlconv -t offers every format written" \
    '[ "$(complete_words ctlconv -t "" | sort)" = "$(echo "$formats" | sort)" ]' "$(complete_words ctlconv -t "")"
check "completion: ctlconv --to=j offers json and jsonl" '[ "$(complete_words ctlconv --to = j | tr "\n" " ")" = "json jsonl " ]'
check "completion: ctlconv --lis offers --list-formats and --list-codes" \
    '[ "$(complete_words ctlconv --lis | sort | tr "\n" " ")" = "--list-codes --list-formats " ]'
check "completion: ctlconv --header offers en and ja" '[ "$(complete_words ctlconv --header "" | tr "\n" " ")" = "en ja " ]'
cd "$root" || exit 1

# The Debian packages.
if ! command -v dpkg-deb >/dev/null; then
    echo "SKIP cpack -G DEB and its inspection: dpkg-deb is not installed (not Debian?)"
    finish
    exit
fi
debs=$work/debs
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$debs" >"$work/cpack.log" 2>&1; rc=$?
check "cpack -G DEB" '[ $rc = 0 ]' "$(tail -5 "$work/cpack.log")"
arch=$(dpkg --print-architecture)
deb_prog=$debs/ctlconv_${version}_$arch.deb
deb_lib=$debs/libctlconv${version%%.*}_${version}_$arch.deb
deb_dev=$debs/libctlconv-dev_${version}_$arch.deb
for d in "$deb_prog" "$deb_lib" "$deb_dev"; do
    check "$(basename "$d") is built, version $version" \
        '[ "$(dpkg-deb -f "$d" Version 2>/dev/null)" = "$version" ]' "$(ls "$debs")"
done
contents() { dpkg-deb --contents "$1" | awk '{print $6}' | sed 's|^\./|/|'; }
has() { contents "$1" | grep -qxE "$2"; }
check "ctlconv.deb: the program, man page, completion, copyright" \
    'has "$deb_prog" /usr/bin/ctlconv && has "$deb_prog" /usr/share/man/man1/ctlconv.1.gz &&
     has "$deb_prog" /usr/share/bash-completion/completions/ctlconv && has "$deb_prog" /usr/share/doc/ctlconv/copyright' \
    "$(contents "$deb_prog")"
check "libctlconv.deb: the shared library and its SONAME link, no development file" \
    'has "$deb_lib" "/usr/lib/.*/?libctlconv.so.$version" && has "$deb_lib" "/usr/lib/.*/?libctlconv.so.${version%%.*}" &&
     ! has "$deb_lib" ".*(\.h|\.a|\.pc|libctlconv\.so)"' "$(contents "$deb_lib")"
check "libctlconv-dev.deb: header, libctlconv.so link, libctlconv.a, ctlconv.pc, CMake config" \
    'has "$deb_dev" /usr/include/ctlconv.h && has "$deb_dev" "/usr/lib/.*/?libctlconv.so" &&
     has "$deb_dev" "/usr/lib/.*/?libctlconv.a" && has "$deb_dev" "/usr/lib/.*/?pkgconfig/ctlconv.pc" &&
     has "$deb_dev" "/usr/lib/.*/?cmake/ctlconv/ctlconvConfig.cmake"' "$(contents "$deb_dev")"
check "libctlconv-dev depends on libctlconv${version%%.*} (= $version)" \
    'dpkg-deb -f "$deb_dev" Depends | grep -qF "libctlconv${version%%.*} (= $version)"'
check "libctlconv.deb has a shlibs file and calls ldconfig" \
    'dpkg-deb -I "$deb_lib" shlibs >/dev/null 2>&1 && dpkg-deb -I "$deb_lib" postinst 2>/dev/null | grep -q ldconfig'
# every library the packaged program and library need is a Depends
mkdir -p "$work/x" && dpkg-deb -x "$deb_prog" "$work/x" && dpkg-deb -x "$deb_lib" "$work/x"
pkg_of() {   # the package holding a library path (usrmerge: /lib or /usr/lib)
    local p=$1
    dpkg -S "$p" 2>/dev/null || dpkg -S "${p#/usr}" 2>/dev/null || dpkg -S "/usr$p" 2>/dev/null
}
for f in "$work/x/usr/bin/ctlconv" "$(find "$work/x" -name "libctlconv.so.$version")"; do
    deb=$deb_prog
    [ "$f" = "$work/x/usr/bin/ctlconv" ] || deb=$deb_lib
    depends=$(dpkg-deb -f "$deb" Depends | tr -d ' ' | tr ',' '\n' | sed 's/(.*//')
    missing="" n=0
    while read -r lib path; do
        # a sanitizer build also needs the compiler's runtimes: no package's business
        [ -n "${CTL_CFLAGS:-}" ] && [[ $lib =~ ^lib(asan|ubsan|lsan|tsan)\. ]] && continue
        n=$((n + 1))
        p=$(pkg_of "$(readlink -f "$path")" | head -1 | cut -d: -f1)
        [ -n "$p" ] || p=$(pkg_of "$path" | head -1 | cut -d: -f1)
        if [ -z "$p" ] || ! echo "$depends" | grep -qx "$p"; then missing="$missing $lib(${p:-no package})"; fi
    done < <(env -u LD_LIBRARY_PATH ldd "$f" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | while read -r l p; do
        readelf -d "$f" | grep -qF "[$l]" && echo "$l $p"; done)
    check "$(basename "$deb"): Depends names the package of every library $(basename "$f") needs ($n)" \
        '[ "$n" -gt 0 ] && [ -z "$missing" ]' "missing:$missing"
done

# apt on this machine: only as root in CI, and not for a sanitizer build.
if [ "${CI:-}" != true ] || [ "$(id -u)" != 0 ]; then
    echo "SKIP apt-get install of the .deb files: runs only as root in CI (CI=true)"
elif [ -n "${CTL_CFLAGS:-}" ]; then
    echo "SKIP apt-get install of the .deb files: a sanitizer or coverage build is no package to install"
elif dpkg -s ctlconv libctlconv0 libctlconv-dev >/dev/null 2>&1 ||
    dpkg -s ctlconv >/dev/null 2>&1 || dpkg -s libctlconv-dev >/dev/null 2>&1; then
    echo "SKIP apt-get install of the .deb files: ctlconv packages are installed already; left alone"
else
    purge() { apt-get purge -y -qq ctlconv "libctlconv${version%%.*}" libctlconv-dev >/dev/null 2>&1; }
    trap 'purge; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "$deb_prog" "$deb_lib" "$deb_dev" >"$work/apt.log" 2>&1; rc=$?
    check "apt-get install ./ctlconv_*.deb ./libctlconv*.deb" '[ $rc = 0 ]' "$(tail -5 "$work/apt.log")"
    check "/usr/bin/ctlconv --version" '[ "$(/usr/bin/ctlconv --version)" = "ctlconv $version" ]'
    check "man ctlconv finds the page" 'man -w ctlconv 2>/dev/null | grep -q "^/usr/share/man/man1/ctlconv.1.gz"'
    check "pkg-config finds ctlconv $version in the system" \
        '[ "$(env -u PKG_CONFIG_PATH pkg-config --modversion ctlconv)" = "$version" ]'
    cd "$work/run" || exit 1
    "$cc" -Wall -Wextra -Werror -o sys "$root/tests/consumer/consumer.c" \
        $(env -u PKG_CONFIG_PATH pkg-config --cflags --libs ctlconv) >sys.log 2>&1 &&
        env -u LD_LIBRARY_PATH ./sys seed.txt 2>/dev/null | cmp -s - cli.json; rc=$?
    check "the consumer built against the packages writes what ctlconv -t json writes" '[ $rc = 0 ]' "$(cat sys.log)"
    cd "$root" || exit 1
    purge
    check "apt-get purge removes the packages" '! dpkg -s ctlconv >/dev/null 2>&1 && [ ! -e /usr/bin/ctlconv ]'
fi
finish
