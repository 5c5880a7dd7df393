#!/usr/bin/env python3
"""adl-cts-seq: replay the sequencing cases of ADL's SCORM 2004 4th edition conformance suite
(every case but the single-SCO API, DMB, DMI and DDM) through `somo session`.

Each case is played as shared/CTS-FORMAT.md describes (see adlcts/seqreplay.py): deliveries,
UI questions, commands and the tester's actions. Cases whose packages share global objectives
or shared data (gObj-OB03-1 in OB-03a/b/c ...) run one after the other on one store as one
learner, as ADL's suite runs every case; other groups run in parallel. Every failing case is
printed with its first point of divergence and the tail of its session transcript. The last
line is `adl-cts-seq: N passed, M failed` counting cases. Exit 0 when no case failed, 1 when
some did, 77 without the corpus.

  run_adl_cts_seq.py --somo BUILD/somo [--corpus DIR] [--case CM-01 ...] [--jobs 2]
                     [--all-failures] [--transcript N] [--summary FILE] [--with-rte]
"""

import argparse
import concurrent.futures
import glob
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from adlcts import casefile, decode, manifest, replay, seqreplay  # noqa: E402
from run_adl_cts import find_corpus  # noqa: E402

SKIP = 77
_TARGET = re.compile(r'(?:targetObjectiveID|targetID)\s*=\s*"([^"]*)"')


def groups_of(names, courses):
    """Cases whose manifests name a common global objective or shared data store, in one
    group (union-find), each group sorted by name, the groups by their first name."""
    parent = {n: n for n in names}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    owner = {}
    for n in names:
        path = os.path.join(courses, "LMSTestPackage_%s" % n, "imsmanifest.xml")
        try:
            text = casefile.read_text(path)
        except OSError:
            continue
        for t in set(x.strip() for x in _TARGET.findall(text)):
            if not t:
                continue
            if t in owner:
                parent[find(n)] = find(owner[t])
            else:
                owner[t] = n
    groups = {}
    for n in names:
        groups.setdefault(find(n), []).append(n)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def run_group(somo, courses, dec, cases, packages, group, work, seed, verbose, run_deadline,
              case_seconds):
    """The cases of one group in order on one store. A case gets case_seconds; once the run's
    budget is spent the remaining cases fail without running (a session that hangs on every
    case must not take the whole run past its ctest timeout)."""
    db = os.path.join(work, "store-%s.db" % group[0])
    out = []
    for name in group:
        t0 = time.monotonic()
        deadline = min(t0 + case_seconds, run_deadline)
        r = seqreplay.CaseReplay(somo, courses, work, dec, cases[name], packages[name], db,
                                 seed=seed, verbose=verbose, deadline=deadline)
        if deadline - t0 < 1.0:
            r.check(None, "run", False, "time to run", "not run: the run's time budget is spent")
        else:
            r.run()
        r.seconds = time.monotonic() - t0
        out.append(r)
    return out


def report_case(r, out, transcript_lines, all_failures):
    f = r.first_failure()
    failures = [x for x in r.results if not x.ok and not x.extra]
    out("FAIL %s: %d failing check(s), first at %s" % (r.case.name, len(failures),
                                                      f.visit if f else "-"))
    if f is None:
        out("     (no check ran)")
        return
    what = f.cmd if isinstance(f.cmd, str) else "%s %s" % (f.cmd.key, f.cmd.describe())
    info = re.sub(r"\s+", " ", re.sub(r"</li>\s*<li>", "; ", r.case.instrs.get("seqInfo", "")))
    info = re.sub(r"<[^>]*>", "", info).strip()
    if info:
        out("     case:     %s" % info)
    out("     at:       %s %s" % (f.visit, what))
    out("     expected: %s" % f.expected)
    out("     actual:   %s" % f.actual)
    if f.rule:
        out("     rule:     %s" % f.rule)
    if all_failures:
        for x in failures[1:]:
            w = x.cmd if isinstance(x.cmd, str) else "%s %s" % (x.cmd.key, x.cmd.describe())
            out("     also:     %s %s: expected %s, actual %s" % (x.visit, w, x.expected, x.actual))
    tpos = getattr(f, "tpos", len(r.transcript))
    tail = r.transcript[max(0, tpos - transcript_lines):tpos]
    if tail:
        out("     transcript (last %d lines up to the divergence):" % len(tail))
        for line in tail:
            out("       " + line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--somo", help="the somo command line binary")
    ap.add_argument("--corpus", help="the shared corpus folder (default $SOMO_CORPUS_DIR)")
    ap.add_argument("--fallback-corpus", help="the corpus folder when $SOMO_CORPUS_DIR is not set")
    ap.add_argument("--case", action="append", help="run only this case (with its group)")
    ap.add_argument("--only", action="store_true", help="with --case: without the rest of its group")
    ap.add_argument("--jobs", type=int, default=2, help="groups run in parallel (default 2)")
    ap.add_argument("--seed", type=int, default=1, help="selection and randomization seed")
    ap.add_argument("--case-seconds", type=float, default=30.0,
                    help="time one case may take (a hanging session fails its case)")
    ap.add_argument("--budget", type=float, default=200.0,
                    help="seconds for the whole run; cases not started by then fail")
    ap.add_argument("--transcript", type=int, default=14, help="transcript lines per failure")
    ap.add_argument("--all-failures", action="store_true", help="every failing check, not the first")
    ap.add_argument("--summary", help="also write one line per case (PASS/FAIL first failure) here")
    ap.add_argument("--work", help="folder for the stores (default: a temporary folder)")
    ap.add_argument("--with-rte", action="store_true",
                    help="also replay the single-SCO cases through somo rte and end with the "
                         "line 'adl-cts: N passed, M failed' counting all 188 cases")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()

    root = find_corpus(a.corpus, a.fallback_corpus)
    if root is None:
        print("adl-cts-seq: SKIPPED: the ADL CTS corpus is not there (set SOMO_CORPUS_DIR)")
        return SKIP
    courses = os.path.join(root, "LMSRTE", "Courses")
    table = casefile.load_table(os.path.join(root, "decoder-resources", "Commands.properties"))
    dec = decode.Decoder(table, replay.LEARNER_ID, replay.LEARNER_NAME)

    cases = {}
    rte_cases = {}
    for path in sorted(glob.glob(os.path.join(courses, "TestCases", "*.properties"))):
        c = casefile.parse_case(path)
        if c.name not in replay.SINGLE_SCO_CASES:
            cases[c.name] = c
        else:
            rte_cases[c.name] = c
    names = sorted(cases)
    if not a.somo or not os.access(a.somo, os.X_OK):
        print("adl-cts-seq: the somo binary is missing: %s" % a.somo)
        print("adl-cts-seq: 0 passed, %d failed" % len(names))
        if a.with_rte:
            print("adl-cts: 0 passed, %d failed" % (len(names) + len(rte_cases)))
        return 1
    packages = {}
    for n in names:
        packages[n] = manifest.Package(os.path.join(courses, "LMSTestPackage_%s" % n, "imsmanifest.xml"))
    groups = groups_of(names, courses)
    if a.case:
        for n in a.case:
            if n not in cases:
                print("no such sequencing case: %s" % n)
                return 2
        if a.only:
            groups = [[n] for n in sorted(a.case)]
        else:
            groups = [g for g in groups if any(n in g for n in a.case)]

    tmp = None
    work = a.work
    if work:
        os.makedirs(work, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="adl-cts-seq-")
        work = tmp.name
    t0 = time.monotonic()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        run_deadline = t0 + a.budget
        futs = [ex.submit(run_group, a.somo, courses, dec, cases, packages, g, work, a.seed,
                          a.verbose, run_deadline, a.case_seconds)
                for g in groups]
        for f in futs:
            results.extend(f.result())
    results.sort(key=lambda r: r.case.name)
    elapsed = time.monotonic() - t0

    passed = failed = 0
    lines = []
    for r in results:
        if r.passed:
            passed += 1
            lines.append("PASS %s" % r.case.name)
        else:
            failed += 1
            report_case(r, print, a.transcript, a.all_failures)
            f = r.first_failure()
            w = "" if f is None else (f.cmd if isinstance(f.cmd, str) else f.cmd.key)
            lines.append("FAIL %s %s %s: expected %s; actual %s" % (
                r.case.name, f.visit if f else "-", w, f.expected if f else "", f.actual if f else ""))
    extra = [x for r in results for x in r.results if x.extra and not x.ok]
    if extra:
        print("extra checks failing (not counted): %d, e.g. %s %s: %s" % (
            len(extra), extra[0].case, extra[0].visit, extra[0].actual))
    skipped = [s for r in results for s in r.skipped]
    if skipped:
        print("skipped %d command line(s) the CTS skips too" % len(skipped))
    kinds = {"deliveries": 0, "UI answers": 0, "commands": 0, "other": 0}
    for r in results:
        for x in r.results:
            if x.extra:
                continue
            w = x.cmd if isinstance(x.cmd, str) else "command"
            k = ("deliveries" if w.startswith("delivery") else "UI answers" if w.startswith("UI question")
                 else "commands" if w == "command" else "other")
            kinds[k] += 1
    print("checks made: %s" % ", ".join("%d %s" % (n, k) for k, n in kinds.items()))
    slowest = max(results, key=lambda r: r.seconds, default=None)
    print("ran %d cases in %d groups in %.1fs (%d jobs; slowest %s %.1fs)" % (
        len(results), len(groups), elapsed, a.jobs, slowest.case.name if slowest else "-",
        slowest.seconds if slowest else 0))
    if a.summary:
        with open(a.summary, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    print("adl-cts-seq: %d passed, %d failed" % (passed, failed))
    if a.with_rte and not a.case:
        rp, rf = run_rte_cases(a.somo, courses, dec, rte_cases, work)
        print("adl-cts: %d passed, %d failed" % (passed + rp, failed + rf))
        failed += rf
    if tmp:
        tmp.cleanup()
    return 1 if failed else 0


def run_rte_cases(somo, courses, dec, rte_cases, work):
    """The single-SCO cases through `somo rte` (run_adl_cts.py's replay), counted as cases:
    a case passes when every command line in it passes."""
    rwork = os.path.join(work, "rte")
    os.makedirs(rwork, exist_ok=True)
    pkgs = {}

    def load(name):
        if name not in pkgs:
            pkgs[name] = manifest.Package(
                os.path.join(courses, "LMSTestPackage_%s" % name, "imsmanifest.xml"))
        return pkgs[name]
    r = replay.RteReplay(somo, courses, rwork, dec, log=lambda *x: None,
                         use_shared=replay.rte_supports(somo, "--shared"))
    passed = failed = 0
    for name in sorted(rte_cases):
        r.run_case(rte_cases[name], load)
        mine = [x for x in r.results if x.case == name and not x.extra]
        bad = [x for x in mine if not x.ok]
        if bad and mine:
            failed += 1
            print("FAIL %s (somo rte): %d of %d command lines failed, first:" % (name, len(bad), len(mine)))
            print(bad[0].line())
        elif not mine:
            failed += 1
            print("FAIL %s (somo rte): no command ran" % name)
        else:
            passed += 1
    print("single-SCO cases through somo rte: %d passed, %d failed" % (passed, failed))
    return passed, failed


if __name__ == "__main__":
    sys.exit(main())
