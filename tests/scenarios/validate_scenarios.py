#!/usr/bin/python3
"""Validates scenario files against scenarios/schema.json (JSON Schema 2020-12).

The schema is what editors use to check and complete scenario files; this test
keeps it trustworthy by validating every shipped scenario with a real validator
(Debian's python3-jsonschema), and shows that the validator does reject a bad
file for the reason the file says.

  validate_scenarios.py --schema S [--exclude NAME]... [--faultdrill BIN] PATH...
      every YAML file (a PATH or the *.yaml files of a folder) must be valid;
  validate_scenarios.py --schema S --expect-invalid [--faultdrill BIN] PATH...
      every file must be INVALID, and the error must contain the text of the
      file's `# expect-error: TEXT` comment lines (one or more);
  validate_scenarios.py --self-test
      the YAML loader resolves scalars as YAML 1.2 does (see below).

With --faultdrill, `faultdrill validate` must agree: exit 0 for the valid files
and exit 2 for the invalid ones, so the schema and the loader do not drift.

Exit codes: 0 as expected, 1 not, 77 the Python modules are missing (CTest's
SKIP_RETURN_CODE).

Why not yaml.safe_load: PyYAML implements YAML 1.1, whose implicit types differ
from what faultdrill (yaml-cpp, which keeps every scalar's text and lets the
key decide) and editors (the YAML language server: YAML 1.2 core schema) see:
`on`/`off`/`yes`/`no` become booleans, `1:30` a sexagesimal 90, `2024-01-01` a
date, and `1e-6` (no dot) a string, so golden tolerances would fail `number`.
Yaml12Loader resolves plain scalars with the YAML 1.2 core schema instead
(null, true/false, decimal/0o/0x integers, floats with optional dot), keeps
quoted scalars strings, keeps keys as their text, and rejects duplicate keys,
as faultdrill's loader does.
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:  # CTest reports exit 77 as "skipped"
    print(f"SKIP: {error.name} is missing: apt-get install python3-jsonschema python3-yaml "
          f"(and run with /usr/bin/python3, Debian's Python)")
    sys.exit(77)

EXIT_SKIP = 77


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema's implicit types."""


Yaml12Loader.yaml_implicit_resolvers = {}
_RESOLVERS = [  # order matters: the first match wins
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
]
for _tag, _pattern, _first in _RESOLVERS:
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _construct_bool(loader, node):
    return loader.construct_scalar(node).lower() == "true"


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _construct_float(loader, node):
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text == ".nan":
        return math.nan
    return float(text)


def _construct_mapping(loader, node):
    """Keys as their text (yaml-cpp's view); a duplicate key is an error."""
    loader.flatten_mapping(node)
    mapping = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "keys must be plain strings", key_node.start_mark)
        key = key_node.value
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
Yaml12Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def load_yaml(text):
    return yaml.load(text, Loader=Yaml12Loader)


def self_test():
    """The loader reads the YAML 1.1 traps as YAML 1.2 (and yaml-cpp) do."""
    cases = {
        "a: on": {"a": "on"},
        "a: off": {"a": "off"},
        "a: yes": {"a": "yes"},
        "a: no": {"a": "no"},
        "a: y": {"a": "y"},
        "a: 1:30": {"a": "1:30"},
        "a: 2024-01-01": {"a": "2024-01-01"},
        "a: 1_000": {"a": "1_000"},
        "a: 010": {"a": 10},
        "a: 0o17": {"a": 15},
        "a: 0x1F": {"a": 31},
        "a: 1e-6": {"a": 1e-6},
        "a: 1.5": {"a": 1.5},
        "a: .5": {"a": 0.5},
        "a: -3": {"a": -3},
        "a: true": {"a": True},
        "a: False": {"a": False},
        "a: \"true\"": {"a": "true"},
        "a: '42'": {"a": "42"},
        "a: ~": {"a": None},
        "a:": {"a": None},
        "a: 100ms": {"a": "100ms"},
        "a: 0.1%": {"a": "0.1%"},
        "on: 1": {"on": 1},
        "1: x": {"1": "x"},
        "a: [+2h, -30s]": {"a": ["+2h", "-30s"]},
    }
    failures = []
    for text, expected in cases.items():
        got = load_yaml(text)
        if got != expected or [type(v) for v in got.values()] != [type(v) for v in expected.values()]:
            failures.append(f"{text!r}: expected {expected!r}, got {got!r}")
    for text in ("a: 1\na: 2", "? [a]\n: 1"):
        try:
            load_yaml(text)
            failures.append(f"{text!r}: expected an error")
        except yaml.YAMLError:
            pass
    for failure in failures:
        print(f"FAIL: {failure}")
    print(f"{len(cases) + 2 - len(failures)}/{len(cases) + 2} loader cases as YAML 1.2 reads them")
    return 0 if not failures else 1


def scenario_files(paths, excluded):
    files = []
    for path in paths:
        if os.path.isdir(path):
            files += sorted(os.path.join(path, name) for name in os.listdir(path)
                            if name.endswith((".yaml", ".yml")) and name not in excluded)
        else:
            files.append(path)
    return files


def schema_errors(validator, path):
    """The schema's complaints about one file, as 'file: at PATH: message' lines."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        document = load_yaml(text)
    except yaml.YAMLError as error:
        return text, [f"{path}: not YAML: {error}"]
    errors = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        # oneOf/anyOf/if-then: the most specific reasons are the deepest ones.
        best = jsonschema.exceptions.best_match([error])
        detail = best.message if best is not error else error.message
        errors.append(f"{path}: at {where}: {detail}")
    return text, errors


def faultdrill_validate(binary, path):
    run = subprocess.run([binary, "validate", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=60, check=False)
    return run.returncode, run.stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema")
    parser.add_argument("--expect-invalid", action="store_true")
    parser.add_argument("--exclude", action="append", default=[])
    parser.add_argument("--faultdrill")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if not args.schema or not args.paths:
        parser.error("--schema and at least one PATH are required")

    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    if validator_class is not jsonschema.Draft202012Validator:
        print(f"FAIL: {args.schema} does not declare JSON Schema 2020-12 ($schema)")
        return 1
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)

    files = scenario_files(args.paths, set(args.exclude))
    if not files:
        print("FAIL: no scenario files found in " + " ".join(args.paths))
        return 1
    failed = 0
    for path in files:
        text, errors = schema_errors(validator, path)
        problems = []
        if args.expect_invalid:
            expected = [line.split(":", 1)[1].strip() for line in text.splitlines()
                        if line.startswith("# expect-error:")]
            if not expected:
                problems.append("has no '# expect-error: TEXT' line saying why it is invalid")
            elif not errors:
                problems.append("passed the schema, but it is meant to fail: " + "; ".join(expected))
            else:
                problems += [f"the schema's errors do not mention '{e}': " + " | ".join(errors)
                             for e in expected if not any(e in error for error in errors)]
        else:
            problems += errors
        if args.faultdrill:
            code, output = faultdrill_validate(args.faultdrill, path)
            want = 2 if args.expect_invalid else 0
            if code != want:
                problems.append(f"`faultdrill validate` exited {code}, not {want}: {output}")
        status = "FAIL" if problems else "ok"
        print(f"{status:4} {path}" + ("  (rejected as expected)" if args.expect_invalid and not problems else ""))
        for problem in problems:
            print(f"     {problem}")
        failed += bool(problems)
    print(f"{len(files) - failed}/{len(files)} files as expected against {args.schema}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
