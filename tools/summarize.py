#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise a make check run.

Reads the build/lint results, the guest's KUnit KTAP files and igt_runner
results.json files under CHECKDIR, writes CHECKDIR/results.txt (one line
per test: "<name> pass|fail|skip") and prints the failures and the closing
line "N passed, N failed, N skipped".
"""
import json
import os
import re
import sys


def parse_ktap(path, suite_hint):
    """Return [(name, status)] for every KUnit case (and parameter).

    KTAP: a "# Subtest: X" header sits at the indentation of X's own
    results; the "ok N X" line closing X sits one level up.
    """
    results = []
    stack = []  # (indent, name) of open subtests
    with open(path, errors="replace") as f:
        lines = f.read().splitlines()
    for line in lines:
        m = re.match(r"^(\s*)# Subtest: (\S+)", line)
        if m:
            stack.append((len(m.group(1)), m.group(2)))
            continue
        m = re.match(r"^(\s*)(ok|not ok) \d+ (\S+)(.*)$", line)
        if not m:
            continue
        indent, ok, name, rest = len(m.group(1)), m.group(2), m.group(3), m.group(4)
        while stack and stack[-1][0] > indent:
            stack.pop()
        path_ = [n for (_, n) in stack]
        status = "skip" if "# SKIP" in rest else ("pass" if ok == "ok" else "fail")
        if not path_ or (len(path_) == 1 and name == path_[0]):
            continue  # the suite's own line
        if len(path_) == 1:
            prefix = f"kunit@{path_[0]}@{name}@"
            if not any(r[0].startswith(prefix) for r in results):
                results.append((f"kunit@{path_[0]}@{name}", status))
        else:
            results.append(("kunit@" + "@".join(path_) + f"@{name}", status))
    if not results:
        results.append((f"kunit@{suite_hint}@results", "fail"))
    return results


def igt_results(path, chip):
    out = []
    try:
        with open(os.path.join(path, "results.json"), errors="replace") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        return [(f"igt@{os.path.basename(path)}@results@{chip}", "fail")], str(e)
    for name, res in sorted(data.get("tests", {}).items()):
        r = res.get("result", "fail")
        status = {"pass": "pass", "skip": "skip", "notrun": "skip"}.get(r, "fail")
        out.append((f"{name}@{chip}", status))
    return out, None


def main():
    d = sys.argv[1]
    results = []
    notes = []
    for fn in ("stages.txt", "lint/results.txt"):
        p = os.path.join(d, fn)
        if os.path.exists(p):
            for line in open(p):
                parts = line.split()
                if len(parts) == 2:
                    results.append((parts[0], parts[1]))
    vm = os.path.join(d, "vm")
    kunit = os.path.join(vm, "kunit")
    if os.path.isdir(kunit):
        for fn in sorted(os.listdir(kunit)):
            results += parse_ktap(os.path.join(kunit, fn), fn[:-len(".ktap")])
    if os.path.isdir(vm):
        # every chip the guest found must have every run's results
        chips = []
        if os.path.exists(os.path.join(vm, "chips")):
            chips = open(os.path.join(vm, "chips")).read().split()
        for chip in chips:
            for kind in ("ours", "generic"):
                if not os.path.isdir(os.path.join(vm, f"igt-{kind}-{chip}")):
                    results.append((f"igt@{kind}@results@{chip}", "fail"))
                    notes.append(f"igt-{kind}-{chip}: no results")
        for fn in sorted(os.listdir(vm)):
            m = re.match(r"^igt-(ours|generic)-(\S+)$", fn)
            if m and os.path.isdir(os.path.join(vm, fn)):
                r, err = igt_results(os.path.join(vm, fn), m.group(2))
                results += r
                if err:
                    notes.append(f"{fn}: {err}")
    with open(os.path.join(d, "results.txt"), "w") as f:
        for name, status in results:
            f.write(f"{name} {status}\n")
    for n in notes:
        print(f"note: {n}")
    counts = {"pass": 0, "fail": 0, "skip": 0}
    for name, status in results:
        counts[status] = counts.get(status, 0) + 1
        if status == "fail":
            print(f"FAIL {name}")
    print(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    return 1 if counts["fail"] or not results else 0


if __name__ == "__main__":
    sys.exit(main())
