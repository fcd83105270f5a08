# SPDX-License-Identifier: BSD-2-Clause
# bash completion for ctlconv(1): options, format names and option values.
# The options come from `ctlconv --help`, the format names from `ctlconv
# --list-formats` and the warning codes from `ctlconv --list-codes`, asked of
# the ctlconv being completed at completion time: a new option or format
# appears here without an edit.  Installed as
# share/bash-completion/completions/ctlconv (loaded on first use).

# _ctlconv_formats PROGRAM read|write: the names of the formats it reads or
# writes (the rows of --list-formats up to the first blank line).
_ctlconv_formats()
{
    "$1" --list-formats 2>/dev/null | awk -v col="$2" '
        NR == 1 { next }
        NF == 0 { exit }
        col == "read" && $2 == "yes" { print $1 }
        col == "write" && $3 == "yes" { print $1 }'
}

# _ctlconv_options PROGRAM: every option --help lists (long and short).
_ctlconv_options()
{
    "$1" --help 2>/dev/null | sed -nE \
        -e 's/^ +(-[A-Za-z0-9]), (--[a-z][a-z0-9-]*).*/\1\n\2/p' \
        -e 's/^ +(--[a-z][a-z0-9-]*).*/\1/p'
}

_ctlconv()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local prog=${COMP_WORDS[0]} words=
    prog=${prog/#\~/$HOME}
    COMPREPLY=()

    # --option=value
    if [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
    elif [[ $cur == = && $prev == --* ]]; then
        cur=
    elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    case $prev in
    -f | --from) words=$(_ctlconv_formats "$prog" read) ;;
    -t | --to)
        # formats, comma-separated (-t csv,xlsx,json): complete the last one
        local done=
        [[ $cur == *,* ]] && done=${cur%,*},
        COMPREPLY=($(compgen -P "$done" -W "$(_ctlconv_formats "$prog" write)" -- "${cur##*,}"))
        return ;;
    --header) words="en ja" ;;
    --headings) words="auto yes no" ;;
    --diagnostics) words="text json" ;;
    -j | --jobs) words=$(seq 1 "$(nproc 2>/dev/null || echo 4)") ;;
    -d | --output-dir)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -d -- "$cur"))
        return ;;
    --delimiter) words=", ; tab" ;;
    --output-encoding) words="utf-8 utf-8-bom cp932" ;;
    --encoding) words="UTF-8 UTF-16LE UTF-16BE CP932 EUC-JP-MS ISO-2022-JP" ;;
    --ref-scheme)
        words="iso27001-2013 iso27001-2022 iso27002-2013 iso27002-2022 iso27017-2015 nist-sp800-53" ;;
    --column)
        words="id= label= level= parent= refs= title= description= category= answer="
        compopt -o nospace 2>/dev/null ;;
    --limit)
        # the limit names: the rows of --help below --limit ("  items (1000000)  ...")
        words=$("$prog" --help 2>/dev/null |
            sed -nE 's/^ +([a-z][a-z0-9-]*) \([0-9][0-9KMG]*\) .*/\1=/p')
        compopt -o nospace 2>/dev/null ;;
    --allow)
        # warning codes, comma-separated: complete the last one
        local done=
        [[ $cur == *,* ]] && done=${cur%,*},
        words=$("$prog" --list-codes 2>/dev/null | awk '$2 == "warning" { print $1 }')
        COMPREPLY=($(compgen -P "$done" -W "$words" -- "${cur##*,}"))
        return ;;
    -o | --output | --map | --files-from)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    --sheet | --date | --component | --doc-version | --library | --packager | \
        --max-input-size | --max-field-size)
        return ;;
    *)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$(_ctlconv_options "$prog")" -- "$cur"))
        else
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        return ;;
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _ctlconv ctlconv
