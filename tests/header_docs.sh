#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The header is the manual: every function declared in include/ctlconv.h
# (and every function-pointer typedef) has a /** ... */ block right before
# it, and that block has an @param for each named parameter ("..." too).
# Run from the project root; optional $1: the header to check.
set -u
header=${1:-include/ctlconv.h}
command -v python3 >/dev/null || { echo "FAIL: python3 is needed"; exit 1; }
python3 - "$header" <<'EOF'
import re, sys

path = sys.argv[1]
src = open(path, encoding="utf-8").read()

# Blank out the C++ guards and preprocessor lines (with their
# continuations) but keep every character's place, so that positions in
# src stay valid.
def blank(m):
    return re.sub(r"[^\n]", " ", m.group(0))
code = re.sub(r"^#ifdef __cplusplus\n.*?^#endif", blank, src, flags=re.M | re.S)
code = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", blank, code, flags=re.M)

# Comments: their spans, then code with comments blanked too.
comments = [(m.start(), m.end()) for m in re.finditer(r"/\*.*?\*/", code, flags=re.S)]
flat = list(code)
for s, e in comments:
    for i in range(s, e):
        if flat[i] != "\n":
            flat[i] = " "
flat = "".join(flat)

# Top-level statements (brace depth 0) ending with ';'.
decls, depth, start = [], 0, 0
for i, c in enumerate(flat):
    if c == "{":
        depth += 1
    elif c == "}":
        depth -= 1
    elif c == ";" and depth == 0:
        decls.append((start, i))
        start = i + 1
    if depth == 0 and c == "}":
        start = i + 1

def params_of(text):
    """Named parameters of a parameter list (the text between its parens)."""
    parts, depth, cur = [], 0, ""
    for c in text:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    parts.append(cur)
    names = []
    for p in (x.strip() for x in parts):
        if not p or p == "void":
            continue
        if p == "...":
            names.append("...")
            continue
        m = re.search(r"\(\s*\*\s*(\w+)\s*\)", p)      # a function pointer
        if m:
            names.append(m.group(1))
            continue
        m = re.search(r"(\w+)\s*(\[[^\]]*\])?$", p)
        if m and not re.fullmatch(r"(const\s+)?(unsigned\s+|signed\s+)?\w+(\s*\*)*\s*", p):
            names.append(m.group(1))
    return names

def matching_paren(s, i):
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "(":
            depth += 1
        elif s[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return -1

failures, checked = [], 0
for s, e in decls:
    text = flat[s:e]
    body = text.strip()
    if not body:
        continue
    lead = s + (len(text) - len(text.lstrip()))
    # typedef RET (*name)(params)
    m = re.match(r"typedef\b[^;]*?\(\s*\*\s*(\w+)\s*\)\s*\(", body, flags=re.S)
    if m:
        name = m.group(1)
        open_at = m.end() - 1
    else:
        if body.startswith(("typedef", "struct", "enum", "extern")):
            continue
        m = re.match(r"[\w\s\*]*?\b(\w+)\s*\(", body, flags=re.S)
        if not m:
            continue
        name = m.group(1)
        open_at = m.end() - 1
    close_at = matching_paren(body, open_at)
    params = params_of(body[open_at + 1:close_at])
    line = src.count("\n", 0, lead) + 1
    checked += 1
    # the comment right before the declaration (only white space between)
    before = [c for c in comments if c[1] <= lead and not src[c[1]:lead].strip()]
    if not before or not src.startswith("/**", before[-1][0]):
        failures.append(f"{path}:{line}: {name}: no /** ... */ block right before it")
        continue
    doc = src[before[-1][0]:before[-1][1]]
    documented = set(re.findall(r"[@\\]param(?:\[[\w,]+\])?\s+(\.\.\.|\w+)", doc))
    for p in params:
        if p not in documented:
            failures.append(f"{path}:{line}: {name}: parameter '{p}' has no @param")

if checked < 40:
    failures.append(f"{path}: only {checked} functions found: the check is broken")
for f in failures:
    print("FAIL: " + f)
print(f"{'FAIL' if failures else 'PASS'}: {checked} functions and function types checked, "
      f"{len(failures)} problem(s)")
sys.exit(1 if failures else 0)
EOF
