#!/usr/bin/env python3
"""adl-cts-rte: replay ADL's SCORM 2004 4th edition conformance suite (LMS part) through Somo.

Parses all 188 test cases and runs the single-SCO runtime cases (API, DMB, DMI, DDM) through
`somo rte`, judging every command line as ADL's suite does. The last line of output is
`adl-cts-rte: N passed, M failed` counting command lines. Exit 0 when nothing failed, 1 when
something failed, 77 when the corpus is absent.

  run_adl_cts.py --somo BUILD/somo [--corpus DIR] [--case DMB ...] [--dump] [--verbose]
"""

import argparse
import glob
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from adlcts import casefile, decode, manifest, replay  # noqa: E402

SKIP = 77


def find_corpus(arg, fallback):
    cands = []
    if arg:
        cands.append(arg)
    if os.environ.get("SOMO_CORPUS_DIR"):
        cands.append(os.environ["SOMO_CORPUS_DIR"])
    if fallback is None:
        here = os.path.dirname(os.path.abspath(__file__))
        fallback = os.path.join(here, "..", "..", "..", "shared", "corpus")
    cands.append(fallback)
    for c in cands:
        d = os.path.join(c, "adl-cts-2004-4th")
        if os.path.isdir(os.path.join(d, "LMSRTE", "Courses", "TestCases")):
            return d
    return None


def dump_case(case, dec, out):
    out("== %s (%s) start=%r: %d visits, %d command lines" % (
        case.name, case.title, case.instrs.get("start", ""), len(case.visits), case.command_count))
    for v in case.visits:
        out("-- %s (act %s)%s%s" % (v.prefix, v.act, " UIQ=" + v.uiq if v.uiq else "",
                                    " CUI=" + v.cui if v.cui else ""))
        for raw, key in zip(v.commands, v.lines):
            c = dec.decode(raw, key)
            if c.skipped:
                out("   %-22s SKIPPED: %s" % (key, c.skip_reason))
                continue
            exp = c.expected_ret if len(c.expected_ret) <= 60 else c.expected_ret[:57] + "..."
            typ = " [type %s]" % c.itype if c.itype else ""
            out("   %-22s %s -> %r / %s%s" % (key, c.describe()[:140], exp, c.expected_err, typ))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--somo", help="the somo command line binary")
    ap.add_argument("--corpus", help="the shared corpus folder (default $SOMO_CORPUS_DIR)")
    ap.add_argument("--fallback-corpus", help="the corpus folder when $SOMO_CORPUS_DIR is not set")
    ap.add_argument("--parse-only", action="store_true",
                    help="read and decode all 188 cases, run nothing")
    ap.add_argument("--case", action="append", help="run (or dump) only this case")
    ap.add_argument("--dump", action="store_true", help="print the decoded scripts and stop")
    ap.add_argument("--work", help="folder for state files (default: a temporary folder)")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--no-shared", action="store_true", help="do not pass --shared to somo rte")
    a = ap.parse_args()

    root = find_corpus(a.corpus, a.fallback_corpus)
    if root is None:
        print("adl-cts: SKIPPED: the ADL CTS corpus is not there (set SOMO_CORPUS_DIR)")
        return SKIP
    courses = os.path.join(root, "LMSRTE", "Courses")
    table = casefile.load_table(os.path.join(root, "decoder-resources", "Commands.properties"))
    dec = decode.Decoder(table, replay.LEARNER_ID, replay.LEARNER_NAME)

    cases = {}
    parse_errors = 0
    for path in sorted(glob.glob(os.path.join(courses, "TestCases", "*.properties"))):
        try:
            c = casefile.parse_case(path)
            cases[c.name] = c
        except (ValueError, OSError) as e:
            parse_errors += 1
            print("parse error: %s" % e)
    total_cmds = sum(c.command_count for c in cases.values())
    total_visits = sum(len(c.visits) for c in cases.values())
    print("parsed %d cases (%d visits, %d command lines), %d parse errors" % (
        len(cases), total_visits, total_cmds, parse_errors))

    if a.parse_only:
        decoded = skipped = 0
        for c in cases.values():
            for v in c.visits:
                for raw, key in zip(v.commands, v.lines):
                    cmd = dec.decode(raw, key)
                    skipped += cmd.skipped
                    decoded += not cmd.skipped
        print("decoded %d command lines, %d skipped as the CTS skips them" % (decoded, skipped))
        ok = len(cases) == 188 and parse_errors == 0
        print("adl-cts-parse: %d of 188 cases parsed" % len(cases))
        return 0 if ok else 1

    selected = a.case or list(replay.SINGLE_SCO_CASES)
    for name in selected:
        if name not in cases:
            print("no such case: %s" % name)
            return 2
    if a.dump:
        for name in selected:
            dump_case(cases[name], dec, print)
        return 0
    not_rte = [n for n in selected if n not in replay.SINGLE_SCO_CASES]
    if not_rte:
        print("not a single-SCO case (needs somo session): %s" % ", ".join(not_rte))
        return 2
    if not a.somo or not os.access(a.somo, os.X_OK):
        print("adl-cts-rte: the somo binary is missing: %s" % a.somo)
        n = sum(not dec.decode(raw).skipped for name in selected
                for v in cases[name].visits for raw in v.commands)
        print("adl-cts-rte: 0 passed, %d failed" % n)
        return 1

    packages = {}

    def load(name):
        if name not in packages:
            packages[name] = manifest.Package(
                os.path.join(courses, "LMSTestPackage_%s" % name, "imsmanifest.xml"))
        return packages[name]

    tmp = None
    work = a.work
    if not work:
        tmp = tempfile.TemporaryDirectory(prefix="adl-cts-rte-")
        work = tmp.name
    use_shared = not a.no_shared and replay.rte_supports(a.somo, "--shared")
    if not use_shared:
        print("note: somo rte has no --shared: shared data stores do not outlive one SCO's runtime")
    r = replay.RteReplay(a.somo, courses, work, dec, verbose=a.verbose, use_shared=use_shared)
    for name in selected:
        r.run_case(cases[name], load)

    main_results = [x for x in r.results if not x.extra]
    extra = [x for x in r.results if x.extra]
    for x in r.results:
        if not x.ok:
            print(x.line())
    for name in selected:
        mine = [x for x in main_results if x.case == name]
        print("%-4s %5d passed, %5d failed" % (name, sum(x.ok for x in mine), sum(not x.ok for x in mine)))
    if r.skipped:
        print("skipped %d command line(s) the CTS skips too: %s" % (
            len(r.skipped), "; ".join("%s %s %s" % (c, v, cmd.key) for c, v, cmd in r.skipped)))
    print("extra checks (Terminate after the commands, clean exit): %d passed, %d failed" % (
        sum(x.ok for x in extra), sum(not x.ok for x in extra)))
    passed = sum(x.ok for x in main_results)
    failed = sum(not x.ok for x in main_results)
    print("adl-cts-rte: %d passed, %d failed" % (passed, failed))
    if tmp:
        tmp.cleanup()
    return 1 if failed or any(not x.ok for x in extra) else 0


if __name__ == "__main__":
    sys.exit(main())
