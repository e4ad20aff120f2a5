#!/usr/bin/env python3
"""Checks that CTest registers faultdrill's tests with the properties CMake gave
them: every GoogleTest test carries FAULTDRILL_BIN_DIR and FAULTDRILL_SOURCE_DIR,
its binary's label plus the extra ones (e2e tests: `e2e`), its timeout, and the
heavy tests the shared lock that keeps two of them from running at once.

Usage: check_test_properties.py CTEST BUILD_DIR
Reads `ctest --show-only=json-v1`; exits 1 naming every test that is off.
"""
import json
import os
import subprocess
import sys
import tempfile


def properties(test):
    return {p["name"]: p["value"] for p in test.get("properties", [])}


def main():
    ctest, build_dir = sys.argv[1], sys.argv[2]
    # CTest writes Testing/Temporary/LastTest.log into the folder it lists, and
    # this runs inside a ctest run of BUILD_DIR whose log must stay whole: list
    # BUILD_DIR's tests through a scratch folder that includes it.
    with tempfile.TemporaryDirectory() as scratch:
        with open(os.path.join(scratch, "CTestTestfile.cmake"), "w") as f:
            f.write(f'subdirs("{build_dir}")\n')
        listing = subprocess.run([ctest, "--show-only=json-v1", "--test-dir", scratch],
                                 check=True, capture_output=True, text=True).stdout
    tests = json.loads(listing)["tests"]
    problems = []
    by_binary = {}
    for test in tests:
        if test["name"].startswith(("ScenarioSchema.", "CTest.")):
            continue  # registered with add_test, not faultdrill_add_test
        props = properties(test)
        labels = props.get("LABELS", [])
        if not labels:
            problems.append(f"{test['name']}: no labels: {props}")
            continue
        binary = os.path.basename(test.get("command", [""])[0])
        if binary not in labels:
            problems.append(f"{test['name']}: not labelled with its binary {binary!r}: {labels}")
        by_binary.setdefault(binary, []).append((test["name"], props))
        env = dict(e.split("=", 1) for e in props.get("ENVIRONMENT", []))
        if env.get("FAULTDRILL_BIN_DIR", "").rstrip("/") != build_dir.rstrip("/"):
            problems.append(f"{test['name']}: FAULTDRILL_BIN_DIR is {env.get('FAULTDRILL_BIN_DIR')!r}, "
                            f"not {build_dir!r}")
        if "FAULTDRILL_SOURCE_DIR" not in env:
            problems.append(f"{test['name']}: no FAULTDRILL_SOURCE_DIR")
        if not props.get("TIMEOUT"):
            problems.append(f"{test['name']}: no TIMEOUT")
        # A flattened list shows as properties named after list elements.
        for name in props:
            if not name.isupper():
                problems.append(f"{test['name']}: stray property {name!r} (a list was flattened)")
    for binary in ("e2e_test", "crash_recovery_test"):
        for name, props in by_binary.get(binary, []):
            if "e2e" not in props.get("LABELS", []):
                problems.append(f"{name}: not labelled e2e: {props.get('LABELS')}")
            if "faultdrill-heavy-load" not in props.get("RESOURCE_LOCK", []):
                problems.append(f"{name}: no RESOURCE_LOCK faultdrill-heavy-load")
    if not by_binary.get("e2e_test"):
        problems.append("no test of e2e_test is registered")
    for name, props in by_binary.get("core_test", []):
        if props.get("RESOURCE_LOCK"):
            problems.append(f"{name}: a unit test takes the heavy-load lock")
    if problems:
        print("\n".join(problems[:50]))
        print(f"{len(problems)} problem(s) in {len(tests)} tests")
        return 1
    print(f"{len(tests)} tests, {len(by_binary)} binaries: properties as declared")
    return 0


if __name__ == "__main__":
    sys.exit(main())
