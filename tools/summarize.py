#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise a make check run.

Reads the build/lint results, the guest's KUnit KTAP files, its
programs.txt (checks run as plain programs) and igt_runner results.json
files under CHECKDIR, writes CHECKDIR/results.txt (one line
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


NOISE_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "guest", "dmesg-noise.txt")

# Subtests whose igt_runner result is fixed by design: the canaries that
# prove a nova warning still fails a subtest and emulator noise does not.
EXPECTED = {
    "igt@nova_platform@dmesg-warning-canary": "dmesg-warn",
    "igt@nova_platform@dmesg-noise-and-warning-canary": "dmesg-warn",
}


def load_noise(path=NOISE_FILE):
    """The emulator-timing message patterns (tools/guest/dmesg-noise.txt)."""
    pats = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip() and not line.lstrip().startswith("#"):
                pats.append(re.compile(line))
    return pats


def warning_lines(res):
    """The kernel messages igt_runner counted against a subtest."""
    out = []
    for line in res.get("dmesg-warnings", "").splitlines():
        # igt_runner's format: "<level> [seconds.micros] message"
        m = re.match(r"^<\d+> \[\s*[0-9.]+\] (.*)$", line)
        if m:
            out.append(m.group(1))
        elif line.strip():
            out.append(line)
    return out


def igt_status(name, res, noise):
    """pass/skip/fail of one igt_runner result.

    dmesg-warn (the subtest passed) and dmesg-fail (it failed) get the
    subtest's own result back only when every warning line is emulator
    noise; any other line keeps them failing.
    """
    r = res.get("result", "fail")
    if name in EXPECTED:
        return "pass" if r == EXPECTED[name] else "fail"
    if r in ("dmesg-warn", "dmesg-fail"):
        lines = warning_lines(res)
        if lines and all(any(p.search(l) for p in noise) for l in lines):
            r = "pass" if r == "dmesg-warn" else "fail"
    return {"pass": "pass", "skip": "skip", "notrun": "skip"}.get(r, "fail")


def igt_why(res, noise, nlines=6):
    """Why a subtest failed, in a few lines: CI shows only the tail of the
    output, so the reason has to be next to the FAIL line."""
    why = [f"  result: {res.get('result', '?')}"]
    seen = set()
    for key in ("err", "out"):
        text = [l for l in res.get(key, "").splitlines()
                if l.strip() and l not in seen and
                not l.startswith(("Starting ", "Opened device", "****"))]
        seen.update(text)
        for l in text[-nlines:]:
            why.append(f"  {key}: {l[:200]}")
    warn = [l for l in warning_lines(res)
            if not any(p.search(l) for p in noise)]
    for l in warn[:nlines]:
        why.append(f"  dmesg: {l[:200]}")
    return why


def igt_results(path, chip, noise, why=None):
    out = []
    try:
        with open(os.path.join(path, "results.json"), errors="replace") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        return [(f"igt@{os.path.basename(path)}@results@{chip}", "fail")], str(e)
    for name, res in sorted(data.get("tests", {}).items()):
        status = igt_status(name, res, noise)
        out.append((f"{name}@{chip}", status))
        if status == "fail" and why is not None:
            why[f"{name}@{chip}"] = igt_why(res, noise)
    return out, None


def selftest():
    """Check the noise classifier on igt_runner-formatted records."""
    noise = load_noise()
    hr = "<4> [12.345678] hrtimer: interrupt took 4180415 ns"
    wq = ("<4> [99.000001] workqueue: drm_sched_run_job_work [gpu_sched] "
          "hogged CPU for >10000us 4 times, consider switching to WQ_UNBOUND")
    warn = ("<4> [13.000000] WARNING: CPU: 1 PID: 77 at "
            "drivers/gpu/drm/nova/nova_vm.c:321 nova_bind_run_job+0x1c/0x90 [nova]")
    nova = "<4> [13.5] nova nova_core.nova-drm.0: [drm] *ERROR* bind failed"
    cs = ("<4> [20.1] clocksource: timekeeping watchdog on CPU1: "
          "hpet retried 2 times before success")
    cases = [
        ({"result": "dmesg-warn", "dmesg-warnings": hr}, "pass"),
        ({"result": "dmesg-warn", "dmesg-warnings": cs + "\n" + hr}, "pass"),
        ({"result": "dmesg-warn", "dmesg-warnings": cs + "\n" + warn}, "fail"),
        ({"result": "dmesg-warn", "dmesg-warnings": hr + "\n" + wq}, "pass"),
        ({"result": "dmesg-fail", "dmesg-warnings": hr}, "fail"),
        ({"result": "dmesg-warn", "dmesg-warnings": warn}, "fail"),
        ({"result": "dmesg-warn", "dmesg-warnings": hr + "\n" + warn}, "fail"),
        ({"result": "dmesg-warn", "dmesg-warnings": nova + "\n" + hr}, "fail"),
        ({"result": "dmesg-warn", "dmesg-warnings": ""}, "fail"),
        ({"result": "pass"}, "pass"),
        ({"result": "timeout"}, "fail"),
    ]
    bad = 0
    for i, (res, want) in enumerate(cases):
        got = igt_status("igt@x@y", res, noise)
        if got != want:
            print(f"selftest case {i}: {res} gave {got}, want {want}")
            bad = 1
    got = igt_status("igt@nova_platform@dmesg-warning-canary",
                     {"result": "pass"}, noise)
    if got != "fail":
        print("selftest: a canary that did not warn must fail")
        bad = 1
    print("summarize selftest:", "FAILED" if bad else "ok")
    return bad


def main():
    if sys.argv[1] == "--selftest":
        return selftest()
    d = sys.argv[1]
    noise = load_noise()
    results = []
    notes = []
    why = {}
    for fn in ("stages.txt", "lint/results.txt", "vm/programs.txt"):
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
            for kind in ("ours", "generic", "unplug"):
                if not os.path.isdir(os.path.join(vm, f"igt-{kind}-{chip}")):
                    results.append((f"igt@{kind}@results@{chip}", "fail"))
                    notes.append(f"igt-{kind}-{chip}: no results")
        for fn in sorted(os.listdir(vm)):
            m = re.match(r"^igt-(ours|generic|unplug)-(\S+)$", fn)
            if m and os.path.isdir(os.path.join(vm, fn)):
                r, err = igt_results(os.path.join(vm, fn), m.group(2), noise,
                                     why)
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
            for line in why.get(name, []):
                print(line)
    print(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    return 1 if counts["fail"] or not results else 0


if __name__ == "__main__":
    sys.exit(main())
