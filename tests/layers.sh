#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Layers that point one way, checked on the sources' #include lines and calls.
#   tests/layers.sh                 (run from the project root)
#  - a format (formats/*.c, *.h) includes ctlconv.h, converters/services.h,
#    a header of formats/ (its own, e.g. csv_records.h) and system or library
#    headers, nothing else of the project;
#  - nothing but the program includes the program (converters/main.c,
#    converters/cli/);
#  - the pipeline (converters/pipeline.c) is the only library code that walks
#    the format table or looks formats up in it (formats/registry.c holds it);
#  - formats call no function of the pipeline or the output stage;
#  - the pipeline holds no knowledge of a format (magic, extensions, advice).
# Prints one line per check and a closing "N passed, N failed" line.
set -u
pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | head -10 | sed 's/^/    /'; fail=$((fail + 1)); }

# The program's files: main.c until it has a room of its own.
cli=$( { ls converters/main.c 2>/dev/null; find converters/cli -type f 2>/dev/null; } | sort)
is_cli() { case " $(echo $cli) " in *" $1 "*) return 0 ;; esac; return 1; }
# Project headers a system include could reach through the include path.
project_headers=$(cd converters && ls *.h)

# --- formats include the public header and the services header only -------
allowed='ctlconv.h ../converters/services.h'
for f in formats/*.h; do allowed="$allowed $(basename "$f")"; done
bad=""
for f in formats/*.c formats/*.h; do
    while IFS= read -r inc; do
        case " $allowed " in *" $inc "*) ;; *) bad="$bad$f: \"$inc\""$'\n' ;; esac
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
    while IFS= read -r inc; do
        for h in $project_headers; do
            [ "$(basename "$inc")" = "$h" ] && bad="$bad$f: <$inc>"$'\n'
        done
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$f")
done
[ -z "$bad" ] && ok "formats include ctlconv.h and services.h only" || ko "formats include ctlconv.h and services.h only" "$bad"

# the services header gathers services, not the pipeline or the output stage
bad=$(grep -n '#[[:space:]]*include' converters/services.h converters/internal.h converters/headers.h \
          converters/table.h converters/xmlsafe.h | grep -E 'output\.h|office\.h|pipeline|main\.c|cli/')
[ -z "$bad" ] && ok "services.h reaches no pipeline, output or program" || ko "services.h reaches no pipeline, output or program" "$bad"

# --- nothing but the program includes the program ---------------------------
bad=""
for f in formats/* converters/*.c converters/*.h; do
    is_cli "$f" && continue
    [ -f "$f" ] || continue
    hit=$(grep -nE '#[[:space:]]*include[[:space:]]*["<]([^">]*/)?(main\.c|cli/)' "$f")
    for c in $cli; do
        case $c in *.h) hit="$hit$(grep -nE "#[[:space:]]*include.*[\"</]$(basename "$c")[\">]" "$f")" ;; esac
    done
    [ -n "$hit" ] && bad="$bad$f: $hit"$'\n'
done
[ -z "$bad" ] && ok "only the program includes the program" || ko "only the program includes the program" "$bad"

# --- only the pipeline walks the format table -------------------------------
bad=""
for f in formats/*.c converters/*.c; do
    is_cli "$f" && continue
    case $f in converters/pipeline.c|formats/registry.c) continue ;; esac
    hit=$(grep -nE '\bctl_formats[[:space:]]*\(|\bctl_format_by_(name|extension)[[:space:]]*\(' "$f")
    [ -n "$hit" ] && bad="$bad$f: $hit"$'\n'
done
[ -z "$bad" ] && ok "only the pipeline walks the format table" || ko "only the pipeline walks the format table" "$bad"

# --- formats call no pipeline and no output stage ---------------------------
hit=$(grep -nE '\b(ctl_read|ctl_read_file|ctl_detect_format|ctl_convert_file|ctl_output_[a-z_]+)[[:space:]]*\(' formats/*.c)
[ -z "$hit" ] && ok "formats call no pipeline or output stage" || ko "formats call no pipeline or output stage" "$hit"

# --- the pipeline knows no format -------------------------------------------
hit=$(grep -nE 'PK\\x03|\\xD0\\xCF|%PDF|"\.?(xls|ods|pdf|xlsx|csv|json|xml|txt|text)"|pdftotext|save it as' converters/pipeline.c)
[ -z "$hit" ] && ok "the pipeline holds no magic, extension or advice of a format" \
    || ko "the pipeline holds no magic, extension or advice of a format" "$hit"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
