"""Replaying the single-SCO cases (API, DMB, DMI, DDM) through `somo rte`.

Each visit is one `somo rte` process (one session of one SCO). What an LMS does between
sessions is done here, the way ADL's reference LMS does it:
  * a SCO's runtime state lives in a state file per (package, item); the runtime restores it
    as the next session of the same attempt (`--state`);
  * when the SCO's last session was not suspended (cmi.exit suspend, or a suspendAll
    navigation request), its next delivery is a new attempt: the state file is removed;
  * a relaunch of a package whose session did not end in suspendAll starts a new attempt of
    the course: every state file of the package is removed, and so are the shared data
    stores of a package whose stores are not global to the system;
  * the shared data stores (adl.data) live in a file of their own (`--shared`).
The sequencing cases need `somo session` (navigation, UI state): seqreplay.py replays them,
reusing this module's command running and judging.
"""

import os
import shutil
import subprocess

from . import judge as judge_mod
from .rte import Rte, RteError, write_json

SINGLE_SCO_CASES = ("API", "DMB", "DMI", "DDM")

LEARNER_ID = "cts-learner-01"
LEARNER_NAME = "Testtaker, Joe"


def rte_supports(somo, option):
    """Whether `somo rte --help` lists an option."""
    try:
        out = subprocess.run([somo, "rte", "--help"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return option.encode() in out.stdout + out.stderr


def _is_relaunch(cui):
    """Instructions after which the tester leaves the package and launches one (CTS-FORMAT 5)."""
    c = cui or ""
    return ("launch" in c.lower() or c in ("DMBx", "DMBxAct") or c.startswith("SuspendCM09ca")
            or c.startswith("ExitCM09ba"))


def _short(s, n=160):
    s = s if s is not None else "(none)"
    if len(s) > n:
        return "%s...(%d chars)" % (s[:n], len(s))
    return s


class Result:
    def __init__(self, case, visit, cmd, ok, expected, actual, rule="", extra=False):
        self.case = case
        self.visit = visit
        self.cmd = cmd
        self.ok = ok
        self.expected = expected
        self.actual = actual
        self.rule = rule
        self.extra = extra

    def line(self):
        what = self.cmd if isinstance(self.cmd, str) else "%s %s" % (self.cmd.key, self.cmd.describe())
        return "FAIL %s %s %s\n     expected: %s\n     actual:   %s%s" % (
            self.case, self.visit, what, self.expected, self.actual,
            ("\n     rule:     " + self.rule) if self.rule else "")


class PackageState:
    def __init__(self, name, package, workdir):
        self.name = name
        self.package = package
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.started = False
        self.suspended_all = False
        self.suspended = {}          # item identifier -> bool

    def state_file(self, item):
        return os.path.join(self.dir, "state-%s.json" % item.identifier)

    def new_attempt(self):
        for f in os.listdir(self.dir):
            if f.startswith("state-"):
                os.remove(os.path.join(self.dir, f))
        self.suspended = {}
        shared = os.path.join(self.dir, "shared.json")
        if not self.package.shared_global and os.path.exists(shared):
            os.remove(shared)

    def shared_file(self, workdir):
        if self.package.shared_global:
            return os.path.join(workdir, "shared-global.json")
        return os.path.join(self.dir, "shared.json")


class RteReplay:
    def __init__(self, somo, corpus_courses, workdir, decoder, log=print, verbose=False,
                 use_shared=True):
        self.somo = somo
        self.courses = corpus_courses
        self.workdir = workdir
        self.decoder = decoder
        self.log = log
        self.verbose = verbose
        self.use_shared = use_shared
        self.results = []
        self.skipped = []

    # -- packages of a case ---------------------------------------------------------------
    def _packages(self, case, load):
        if case.name == "DDM":
            return {"a": load("DDMa"), "b": load("DDMb")}
        return {"": load(case.name)}

    def run_case(self, case, load_package):
        workdir = os.path.join(self.workdir, case.name)
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
        pkgs = {}
        for key, pkg in self._packages(case, load_package).items():
            pkgs[key] = PackageState(pkg.identifier, pkg, workdir)
        prev_cui = None
        prev_pkg = None
        for n, visit in enumerate(case.visits):
            key = visit.act[-1] if case.name == "DDM" else ""
            ps = pkgs[key]
            item = ps.package.item_for_act(case.name, visit.act)
            if item is None:
                self._fail_visit(case, visit, "no item of package %s carries act=%s" % (ps.name, visit.act))
                continue
            if not ps.started or _is_relaunch(prev_cui) or prev_pkg is not ps:
                if not ps.suspended_all:
                    ps.new_attempt()
                ps.suspended_all = False
                ps.started = True
            elif not ps.suspended.get(item.identifier):
                sf = ps.state_file(item)
                if os.path.exists(sf):
                    os.remove(sf)
            self._run_visit(case, visit, n, ps, item, workdir)
            prev_cui = visit.cui
            prev_pkg = ps

    def _fail_visit(self, case, visit, why):
        for raw, key in zip(visit.commands, visit.lines):
            cmd = self.decoder.decode(raw, key)
            if not cmd.skipped:
                self.results.append(Result(case.name, visit.prefix, cmd, False, "(run)", why))

    # -- one visit ------------------------------------------------------------------------
    def _run_visit(self, case, visit, n, ps, item, workdir):
        cmds = [self.decoder.decode(raw, key) for raw, key in zip(visit.commands, visit.lines)]
        for c in cmds:
            if c.skipped:
                self.skipped.append((case.name, visit.prefix, c))
        cmds = [c for c in cmds if not c.skipped]
        if not ps.package.is_sco(item):
            # An asset makes no API call; a command expected of it cannot be run.
            for c in cmds:
                self.results.append(Result(case.name, visit.prefix, c, False, "(a SCO)",
                                           "item %s is an asset" % item.identifier))
            return
        if not cmds:
            return
        init = {"cmi.learner_id": LEARNER_ID, "cmi.learner_name": LEARNER_NAME}
        init.update(item.init)
        if item.data_maps:
            init["adl.data"] = item.data_maps
        init_path = os.path.join(workdir, "init-%03d-%s.json" % (n, visit.prefix))
        write_json(init_path, init)
        args = ["--init", init_path, "--state", ps.state_file(item)]
        if self.use_shared and item.data_maps:
            args += ["--shared", ps.shared_file(workdir)]
        if self.verbose:
            self.log("# %s %s: %s %s" % (case.name, visit.prefix, item.identifier, " ".join(args)))
        rte = Rte(self.somo, args)
        initialized = False
        exit_value = ""
        nav_value = ""
        for c in cmds:
            try:
                ok, reply, element, rid = self._run_command(rte, case, visit, c)
            except RteError as e:
                self.results.append(Result(case.name, visit.prefix, c, False,
                                           self._expect_text(c), "no answer: %s" % e))
                continue
            if reply is None:
                continue
            if c.method == "Initialize" and reply["ret"] == "true":
                initialized = True
            if c.method == "SetValue" and reply["ret"] == "true":
                if element == "cmi.exit":
                    exit_value = c.value
                elif element == "adl.nav.request":
                    nav_value = c.value
        if initialized:
            try:
                r = rte.call(["Terminate", ""])
                ok = r["ret"] == "true" and r["err"] == "0"
                actual = 'ret "%s" err %s' % (r["ret"], r["err"])
            except RteError as e:
                ok, actual = False, "no answer: %s" % e
            self.results.append(Result(case.name, visit.prefix, 'Terminate("") after the commands',
                                       ok, 'ret "true" err 0', actual, extra=True))
        try:
            rte.close()
        except RteError as e:
            self.results.append(Result(case.name, visit.prefix, "end of input", False,
                                       "exit status 0", str(e), extra=True))
        ps.suspended[item.identifier] = exit_value == "suspend" or nav_value == "suspendAll"
        if nav_value == "suspendAll":
            ps.suspended_all = True

    def _expect_text(self, c):
        return 'ret "%s" err %s' % (_short(c.expected_ret), c.expected_err)

    def _resolve(self, rte, element):
        """&id& in an element: look the id up with real API calls, as the suite's applet does."""
        start = element.index("&")
        end = element.index("&", start + 1)
        wanted = element[start + 1:end]
        base = "adl.data" if "data" in element[:start] else "cmi.objectives"
        r = rte.call(["GetValue", base + "._count"])
        try:
            count = int(r["ret"])
        except ValueError:
            count = 0
        for i in range(min(count, 10000)):
            r = rte.call(["GetValue", "%s.%d.id" % (base, i)])
            if r["ret"] == wanted:
                return element[:start] + str(i) + element[end + 1:], wanted
        return None, wanted

    def _run_command(self, rte, case, visit, c):
        element = c.element
        rid = None
        if c.method == "CompareObjectiveIds":
            r = rte.call(["GetValue", "cmi.objectives._count"])
            ids = []
            try:
                count = int(r["ret"])
            except ValueError:
                count = -1
            for i in range(max(count, 0)):
                ids.append(rte.call(["GetValue", "cmi.objectives.%d.id" % i])["ret"])
            ok = count == len(c.obj_ids) and all(x in c.obj_ids for x in ids)
            self.results.append(Result(case.name, visit.prefix, c, ok, ",".join(c.obj_ids),
                                       "count %d: %s" % (count, ",".join(ids)), "compare_obj_ids"))
            return ok, None, None, None
        if element is not None and element.count("&") >= 2:
            element, rid = self._resolve(rte, element)
            if element is None:
                self.results.append(Result(case.name, visit.prefix, c, False, self._expect_text(c),
                                           "id %r not found in the runtime" % rid, "resolve &id&"))
                return False, None, None, rid
        call = c.call()
        if element is not None:
            call[1] = element
        reply = rte.call(call)
        v = judge_mod.judge(c, element or "", reply["ret"], reply["err"], rid)
        actual = 'ret "%s" err %s' % (_short(reply["ret"]), reply["err"])
        expected = 'ret "%s" err %s' % (_short(v.expected_ret), v.expected_err)
        self.results.append(Result(case.name, visit.prefix, c, v.ok, expected, actual, v.rule))
        if self.verbose:
            self.log("  %s %s -> %s %s" % ("ok  " if v.ok else "FAIL", c.describe()[:120], actual[:120], v.rule))
        return v.ok, reply, element, rid
