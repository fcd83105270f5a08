#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Validates OSCAL JSON documents against the NIST OSCAL 1.2.1 JSON schemas.

    /usr/bin/python3 tests/oscal_validate.py SCHEMA_DIR DOC.json...

The schema of each document is chosen by its root key (catalog,
component-definition).  Python's re cannot compile \\p{L} and \\p{N}: they
are read as [^\\W\\d_] and \\d in a copy of the schema made here (as the
schemas' SOURCE.md says).  The schemas do not check that ids are unique:
this script does (every "id" of a catalog, every "uuid" of a document).
Prints one line per document, "valid" or the first errors; exits 1 if any
is invalid, 2 when the schemas cannot be loaded.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(2)

SCHEMAS = {"catalog": "oscal_catalog_schema.json",
           "component-definition": "oscal_component_schema.json"}


def load_schema(directory, name):
    with open(f"{directory}/{name}", encoding="utf-8") as f:
        text = f.read()
    # in the JSON text a backslash is doubled: \\p{L} is \p{L} in the pattern
    text = text.replace("\\\\p{L}", "[^\\\\W\\\\d_]").replace("\\\\p{N}", "\\\\d")
    return json.loads(text)


def ids_unique(doc):
    """The first id or uuid that two objects of doc hold, else None."""
    seen = {}
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("id", "uuid"):
                value = node.get(key)
                if isinstance(value, str):
                    if (key, value) in seen:
                        return f"{key} {value!r} is not unique"
                    seen[(key, value)] = True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    directory = argv[1]
    validators = {}
    for root, name in SCHEMAS.items():
        schema = load_schema(directory, name)
        cls = jsonschema.validators.validator_for(schema)
        validators[root] = cls(schema, format_checker=cls.FORMAT_CHECKER)
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        root = next((k for k in doc if k in SCHEMAS), None)
        if root is None:
            print(f"{path}: no root key of {sorted(SCHEMAS)}")
            bad += 1
            continue
        errors = sorted(validators[root].iter_errors(doc), key=lambda e: list(e.path))
        dup = ids_unique(doc[root])
        if errors or dup:
            bad += 1
            for e in errors[:5]:
                where = "/".join(str(p) for p in e.path)
                print(f"{path}: invalid {root}: {where}: {e.message[:300]}")
            if dup:
                print(f"{path}: invalid {root}: {dup}")
        else:
            print(f"{path}: valid {root}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
