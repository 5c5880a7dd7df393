#!/usr/bin/env python3
"""Sequencing alone against ADL's conformance cases: the order of deliveries.

For every sequencing case of ADL's SCORM 2004 4th edition suite (all but the
single-SCO API, DMB, DMI and DDM), the cases' scripts are played against the
sequencing engine through tests/sequencing/seq_driver (no run-time, no
session): the values each visit's commands set (completion, success, score,
progress, objectives, cmi.exit, adl.nav.request) become the content's report,
the tester's actions (CTS-FORMAT.md section 5) become navigation requests,
and each delivery must be the activity the next visit names. The navigation
questions (UIQ/UIA, section 4) are checked too. This checks sequencing only:
the full replay with the run-time is the session's (conformance-tests).

Reads the case files with conformance-tests/adl-cts/adlcts. Prints one line
per failing case and ends with "cts-deliveries: N passed, M failed"; exits 77
without the corpus, 1 when fewer cases pass than --min.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "conformance-tests", "adl-cts"))
from adlcts import casefile, decode, manifest  # noqa: E402

SINGLE_SCO = ("API", "DMB", "DMI", "DDM")
HIDE = {"previous": 1, "continue": 2, "exit": 4, "exitAll": 8, "abandon": 16,
        "abandonAll": 32, "suspendAll": 64}


class Driver:
    def __init__(self, exe):
        self.p = subprocess.Popen([exe], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def call(self, *req):
        self.p.stdin.write(json.dumps(list(req)) + "\n")
        self.p.stdin.flush()
        return json.loads(self.p.stdout.readline())

    def close(self):
        self.p.stdin.close()
        self.p.wait()


class Fail(Exception):
    pass


def to_float(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


class Visit:
    """What one delivered SCO's commands set, as a report to sequencing."""

    def __init__(self, state):
        self.vals = {}
        self.objs = {}          # index -> {id, ...}
        self.nav = None
        self.state = state

    def set(self, el, value):
        if el == "adl.nav.request":
            self.nav = None if value == "_none_" else value
        elif el.startswith("cmi.objectives."):
            parts = el.split(".")
            if len(parts) < 4:
                return
            o = self.objs.setdefault(parts[2], {})
            if parts[2].startswith("&") and parts[2].endswith("&"):
                # the suite's &id& names an objective the run-time holds by id
                o["id"] = parts[2][1:-1]
            o[".".join(parts[3:])] = value
        else:
            self.vals[el] = value

    def report(self):
        v = self.vals
        r = {}
        prog = to_float(v.get("cmi.progress_measure"))
        scaled = to_float(v.get("cmi.score.scaled"))
        comp = v.get("cmi.completion_status")
        succ = v.get("cmi.success_status")
        # what the run-time's GetValue would answer (RTE 4.2.4.2, 4.2.22)
        if self.state.get("threshold") is not None:
            if prog is not None:
                comp = "completed" if prog >= self.state["threshold"] else "incomplete"
            elif comp is not None:
                comp = "unknown"
        if self.state.get("passing") is not None:
            if scaled is not None:
                succ = "passed" if scaled >= self.state["passing"] else "failed"
            elif succ is not None:
                succ = "unknown"
        if comp == "not attempted":
            comp = "incomplete"
        if comp:
            r["completion"] = comp
        if succ:
            r["success"] = succ
        for k, f in (("scaled", "cmi.score.scaled"), ("raw", "cmi.score.raw"),
                     ("min", "cmi.score.min"), ("max", "cmi.score.max"),
                     ("progress", "cmi.progress_measure")):
            x = to_float(v.get(f))
            if x is not None:
                r[k] = x
        r["suspend"] = v.get("cmi.exit") == "suspend"
        objs = []
        for o in self.objs.values():
            if "id" not in o:
                continue
            e = {"id": o["id"]}
            if o.get("success_status"):
                e["success"] = o["success_status"]
            if o.get("completion_status"):
                c = o["completion_status"]
                e["completion"] = "incomplete" if c == "not attempted" else c
            for k, f in (("scaled", "score.scaled"), ("raw", "score.raw"), ("min", "score.min"),
                         ("max", "score.max"), ("progress", "progress_measure")):
                x = to_float(o.get(f))
                if x is not None:
                    e[k] = x
            objs.append(e)
        r["objectives"] = objs
        return r


def ui_answer(q, st, pkg):
    hidden = st.get("hide", 0)
    valid = st.get("valid", {})
    key, _, title = q.partition("@")

    def toc(t):
        it = pkg.item_by_title(t)
        ident = it.identifier if it else (pkg.identifier if "root of" in t else None)
        for e in st["toc"]:
            if e["id"] == ident:
                return e
        return None
    if key in ("continue.enabled", "previous.enabled", "continue.disabled", "previous.disabled"):
        x = key.split(".")[0]
        on = bool(valid.get(x)) and not (hidden & HIDE[x])
        return on if key.endswith("enabled") else not on
    if key == "toc.enabled.selectable":
        e = toc(title)
        return bool(e and e["visible"] and e["choosable"])
    if key == "toc.visible":
        e = toc(title)
        return bool(e and e["visible"])
    if key == "toc.enabled":
        cur = st.get("current")
        return any(e["visible"] and e["choosable"] and e["id"] != cur and e["depth"] > 0
                   for e in st["toc"])
    return None


SHARED = {"globals": []}   # the learner's global objectives (objectivesGlobalToSystem)


def run_case(case, dec, courses, exe):
    """Returns a list of problems (empty: the case passed)."""
    path = os.path.join(courses, "LMSTestPackage_%s" % case.name)
    pkg = manifest.Package(os.path.join(path, "imsmanifest.xml"))
    drv = Driver(exe)
    problems = []
    try:
        if not drv.call("open", path)["ok"]:
            raise Fail("cannot open the package")
        # the suite runs every case as one learner: global objectives of
        # packages that share them with the system carry over
        shared = drv.call("globals")["global_to_system"]
        if shared:
            drv.call("setglobals", SHARED["globals"])
        start = case.instrs.get("start", ".")
        if start == ".":
            res = drv.call("nav", "start", None)
        else:
            it = pkg.item_by_title(start)
            res = drv.call("nav", "choice", it.identifier if it else start)
        suspended_all = False
        visits = case.visits
        for i, v in enumerate(visits):
            want = pkg.item_for_act(case.name, v.act, "Activity %s" % v.act)
            if want is None:
                raise Fail("%s: no item for activity %s" % (v.prefix, v.act))
            if res.get("deliver") != want.identifier:
                raise Fail("%s: expected %s delivered, got %s (%s)" % (
                    v.prefix, want.identifier, res.get("deliver"), res.get("exception")))
            st = drv.call("state")
            if v.uiq:
                for q, a in zip(v.uiq.split("~"), v.uia.split("~")):
                    got = ui_answer(q, st, pkg)
                    if got is not None and got != (a == "Y"):
                        problems.append("%s: UI %s expected %s" % (v.prefix, q, a))
            vis = Visit(st)
            for raw, key in zip(v.commands, v.lines):
                cmd = dec.decode(raw, key)
                if cmd.skipped or cmd.method != "SetValue" or cmd.expected_ret != "true":
                    if (not cmd.skipped and cmd.method == "GetValue" and cmd.element and
                            cmd.element.startswith("adl.nav.request_valid.") and
                            cmd.element.split(".")[-1] in ("continue", "previous") and
                            cmd.expected_ret in ("true", "false")):
                        got = drv.call("valid", cmd.element.split(".")[-1], None)["valid"]
                        if got != (cmd.expected_ret == "true"):
                            problems.append("%s: %s expected %s" % (
                                v.prefix, cmd.element, cmd.expected_ret))
                    continue
                vis.set(cmd.element, cmd.value)
            rep = drv.call("report", vis.report())
            if not rep["ok"]:
                problems.append("%s: report refused: %s" % (v.prefix, rep.get("error")))
            nxt = visits[i + 1] if i + 1 < len(visits) else None
            cui = v.cui or ""
            href = pkg.href(want)
            on_unload = "SingleDoTerminate" in href or "OnUnload" in href
            pending = vis.nav

            def terminate():
                if pending is None:
                    return drv.call("nav", "_none_", None)
                if pending.startswith("{target="):
                    t, kind = pending[8:].split("}", 1)
                    return drv.call("nav", kind, t)
                return drv.call("nav", pending, None)

            ui = None
            if cui in ("Continue", "Previous") or cui.startswith("Choice~") or \
                    cui.startswith("APIt") or cui.startswith("DMIt"):
                if cui.startswith("Choice~"):
                    t = cui[7:]
                    it = pkg.item_by_title(t)
                    tid = it.identifier if it else (pkg.identifier if "root" in t else t)
                    ui = ("choice", tid)
                else:
                    ui = (cui.lower(), None) if cui in ("Continue", "Previous") else ("continue", None)
                if not on_unload:
                    r0 = terminate()
                    if r0.get("deliver"):
                        raise Fail("%s: Terminate delivered %s before the UI %s" % (
                            v.prefix, r0["deliver"], cui))
                res = drv.call("nav", ui[0], ui[1])
            elif cui.startswith("ChoiceExit~") or cui in ("ContinueExitCM8", "TRIGExitAll"):
                if cui.startswith("ChoiceExit~"):
                    it = pkg.item_by_title(cui[11:])
                    res = drv.call("nav", "choice", it.identifier if it else None)
                elif cui == "ContinueExitCM8":
                    res = drv.call("nav", "continue", None)
                else:  # the tester triggers Exit All
                    res = drv.call("nav", "exitAll", None)
                if drv.call("state")["current"] is not None and not res.get("ended"):
                    raise Fail("%s: %s: the session did not end" % (v.prefix, cui))
                return problems
            elif cui in ("AutoTest", "HasEnded", "OKEnd"):
                res = terminate()
                if not res.get("ended"):
                    raise Fail("%s: Terminate did not end the session (%s)" % (
                        v.prefix, res.get("deliver") or res.get("exception")))
                return problems
            elif cui == "Exit":
                res = terminate()
                if not res.get("ended") and drv.call("state")["current"] is not None:
                    if res.get("deliver"):
                        raise Fail("%s: delivered %s at the end" % (v.prefix, res["deliver"]))
                    drv.call("nav", "exitAll", None)
                return problems
            elif cui == "RootSX4b":
                terminate()
                res = drv.call("nav", "choice", pkg.identifier)
            elif "launch" in cui.lower() or cui in ("DMBx", "DMBxAct", "SuspendCM09ca",
                                                    "ExitCM09ba"):
                if cui == "SuspendCM09ca":
                    res = drv.call("nav", "suspendAll", None)
                    suspended_all = True
                elif cui in ("RelaunchCM5", "RelaunchRU13e", "RelaunchCM11", "ExitCM09ba") or \
                        cui.startswith("RelaunchRU14") or cui.startswith("exitlaunch"):
                    if on_unload:
                        # the tester's exit wins over what the unloading SCO asked
                        res = drv.call("nav", "exitAll", None)
                        pending = None
                    else:
                        res = terminate()
                    suspended_all = pending == "suspendAll"
                    if not res.get("ended") and drv.call("state")["current"] is not None:
                        drv.call("nav", "exitAll", None)
                else:
                    res = terminate()
                    suspended_all = pending == "suspendAll"
                    if not res.get("ended"):
                        raise Fail("%s: %s: the attempt did not end (%s)" % (
                            v.prefix, cui, res.get("deliver") or res.get("exception")))
                drv.call("relaunch")
                if suspended_all:
                    res = drv.call("nav", "resumeAll", None)
                elif cui == "RelaunchCM10":
                    it = pkg.item_by_title("Activity 4")
                    res = drv.call("nav", "choice", it.identifier)
                else:
                    res = drv.call("nav", "start", None)
                suspended_all = False
            else:
                res = terminate()
                if nxt is None:
                    if not res.get("ended") and res.get("deliver"):
                        raise Fail("%s: delivered %s after the last visit" % (
                            v.prefix, res["deliver"]))
                    return problems
        return problems
    except Fail as e:
        return problems + [str(e)]
    finally:
        try:
            g = drv.call("globals")
            if g["global_to_system"]:
                SHARED["globals"] = g["globals"]
        except (ValueError, OSError, KeyError):
            pass
        drv.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--driver", required=True)
    ap.add_argument("--corpus")
    ap.add_argument("--case", action="append")
    ap.add_argument("--min", type=int, default=0, help="fail when fewer cases pass")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    corpus = a.corpus or os.environ.get("SOMO_CORPUS_DIR") or os.path.join(
        HERE, "..", "..", "..", "shared", "corpus")
    root = os.path.join(corpus, "adl-cts-2004-4th")
    if not os.path.isdir(root):
        print("cts-deliveries: SKIPPED: no corpus at %s" % corpus)
        return 77
    courses = os.path.join(root, "LMSRTE", "Courses")
    table = casefile.load_table(os.path.join(root, "decoder-resources", "Commands.properties"))
    dec = decode.Decoder(table, "cts-learner-01", "Testtaker, Joe")
    names = sorted(f[:-11] for f in os.listdir(os.path.join(courses, "TestCases"))
                   if f.endswith(".properties"))
    passed = failed = 0
    for name in names:
        if name in SINGLE_SCO or (a.case and name not in a.case):
            continue
        case = casefile.parse_case(os.path.join(courses, "TestCases", name + ".properties"))
        probs = run_case(case, dec, courses, a.driver)
        if probs:
            failed += 1
            print("FAIL %s: %s" % (name, probs[0] if not a.verbose else "\n    ".join(probs)))
        else:
            passed += 1
    print("cts-deliveries: %d passed, %d failed" % (passed, failed))
    return 1 if passed < a.min else 0


if __name__ == "__main__":
    sys.exit(main())
