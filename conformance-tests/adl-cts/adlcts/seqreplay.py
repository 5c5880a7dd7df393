"""Replaying the sequencing cases (every case but API, DMB, DMI, DDM) through `somo session`,
exactly as shared/CTS-FORMAT.md describes ADL's suite and its tester:

  * the first launch's request comes from `start=` (`.` -> start, a title -> choice of it);
  * every visit must be a delivery of the item whose `parameters` carry tc=<case>&act=<N>;
  * right after the delivery, `["state"]` answers the visit's UIQ questions (section 4);
  * the visit's commands run and are judged as in the runtime replay (section 3);
  * then the page ends itself (Terminate) or waits for the tester, and the visit's CUI
    instruction is carried out (section 5): a UI navigate, an expected end of the session,
    or a relaunch (the process exits 0, a new `somo session` process starts on the same
    store and learner; its first request is resumeAll after a suspendAll, else choice of
    the named item, else start).

A case passes when every delivery, UI answer and command in it passes and every process
exits with status 0. The first failure is the case's point of divergence.
"""

import os
import time

from .replay import LEARNER_ID, LEARNER_NAME, Result, RteReplay
from .rte import RteError
from .session import Session

# Test pages that terminate only when unloaded by the tester's UI event (section 5).
ON_UNLOAD_PAGES = ("SequencingTestSingleDoTerminate.htm", "exitAllOnUnload.htm",
                   "suspendAllOnUnload.htm", "tarAct4OnUnload.htm")

UI_NAV = ("Continue", "Previous", "Choice", "APIt1", "APIt2", "DMIt1", "DMIt2", "DMIt3", "DMIt4")
UI_THEN_END = ("ChoiceExit", "ContinueExitCM8", "TRIGExitAll")
TERMINATE_ENDS = ("AutoTest", "HasEnded", "OKEnd")
RELAUNCH_AFTER_END = ("RelaunchCM10", "RelaunchCM16", "RelaunchOB3b", "RelaunchSX4a", "DMBx",
                      "DMBxAct", "ReLaunchDDMa", "ReLaunchDDMb", "autoendrelaunch")
RELAUNCH_AFTER_LEAVING = ("RelaunchCM5", "RelaunchRU13e", "RelaunchRU14a", "RelaunchRU14b",
                          "RelaunchRU14c", "RelaunchRU14d", "RelaunchCM11", "ExitCM09ba",
                          "exitlaunch")
# The item a relaunch instruction tells the tester to choose (Instructions.properties).
RELAUNCH_CHOICE = {"RelaunchCM10": "Activity 4", "DMBxAct": "Data Model Behavior Test 1"}

CASE_SECONDS = 30.0


class Stop(Exception):
    """The case cannot go on (a wrong delivery, a dead process)."""


class _Results(list):
    """Results stamped with the transcript length when they were recorded."""

    def __init__(self, transcript):
        super().__init__()
        self.transcript = transcript

    def append(self, r):
        r.tpos = len(self.transcript)
        super().append(r)


def _norm(s):
    return " ".join((s or "").split())


def _deliver_text(r):
    if r is None:
        return "(no answer)"
    if "deliver" not in r:
        why = r.get("reason")
        return "nothing delivered" + (" (%s)" % why if why else "")
    if r["deliver"] is None:
        if r.get("ok") is False:
            return "refused: %s" % r.get("reason", "")
        return "deliver null (the session ended)"
    return 'deliver "%s"' % r["deliver"]


class CaseReplay(RteReplay):
    """One case, one store file, one learner. Reuses the runtime replay's command running
    and judging (_run_command, _resolve)."""

    def __init__(self, somo, courses, workdir, decoder, case, package, db, seed=1,
                 deadline=None, verbose=False, log=print):
        super().__init__(somo, courses, workdir, decoder, log=log, verbose=verbose)
        self.case = case
        self.pkg = package
        self.pkg_dir = os.path.join(courses, "LMSTestPackage_%s" % case.name)
        self.db = db
        self.seed = seed
        self.deadline = deadline or (time.monotonic() + CASE_SECONDS)
        self.transcript = []
        self.results = _Results(self.transcript)
        self.notes = []           # extra observations that do not decide the case
        self.sess = None
        self.launches = 0
        self.ended_in_suspend_all = False

    # -- bookkeeping ----------------------------------------------------------------------
    def check(self, visit, what, ok, expected, actual, rule=""):
        self.results.append(Result(self.case.name, visit.prefix if visit else "-", what, ok,
                                   expected, actual, rule))
        return ok

    def note(self, visit, text):
        self.notes.append("%s %s: %s" % (self.case.name, visit.prefix if visit else "-", text))

    @property
    def passed(self):
        return all(r.ok for r in self.results if not r.extra) and bool(self.results)

    def first_failure(self):
        for r in self.results:
            if not r.ok and not r.extra:
                return r
        return None

    # -- processes ------------------------------------------------------------------------
    def launch(self):
        self.launches += 1
        self.sess = Session(self.somo, self.pkg_dir, self.db, LEARNER_ID, LEARNER_NAME,
                            self.seed, self.transcript, "[%d]" % self.launches, self.deadline)

    def close(self, visit):
        if self.sess is None:
            return
        s, self.sess = self.sess, None
        try:
            s.close()
        except RteError as e:
            self.check(visit, "end of input of launch %d" % self.launches, False,
                       "exit status 0", str(e))

    def call(self, visit, call, what):
        try:
            return self.sess.call(call)
        except RteError as e:
            self.check(visit, what, False, "an answer", str(e))
            raise Stop()

    def navigate(self, visit, verb, target=None):
        call = ["navigate", verb] + ([target] if target is not None else [])
        return self.call(visit, call, "navigate %s%s" % (verb, " " + target if target else ""))

    def state(self, visit):
        return self.call(visit, ["state"], "state")

    def ended(self, visit, reply):
        """Whether the session has ended: the reply's deliver null, else state current null."""
        if reply is not None and "deliver" in reply and reply["deliver"] is None \
                and reply.get("ok", True) is not False:
            return True
        return self.state(visit).get("current") is None

    # -- targets --------------------------------------------------------------------------
    def target_id(self, title):
        t = _norm(title)
        if "corresponds to the root of" in t or t == self.pkg.title:
            return self.pkg.identifier
        it = self.pkg.item_by_title(t)
        return it.identifier if it else None

    # -- the case -------------------------------------------------------------------------
    def run(self):
        try:
            self._run()
        except Stop:
            pass
        finally:
            if self.sess is not None:
                if self.sess.dead:
                    self.sess.kill()
                    self.sess = None
                else:
                    self.close(None)
        return self

    def first_request(self, visit, instruction, start):
        """The first request of a launch: resumeAll after a suspendAll, a named choice, start."""
        if self.ended_in_suspend_all:
            self.ended_in_suspend_all = False
            return self.navigate(visit, "resumeAll")
        title = RELAUNCH_CHOICE.get(instruction) if instruction else None
        if start and start != ".":
            title = start
        if title:
            tid = self.target_id(title)
            if tid is None:
                self.check(visit, "launch", False, "an item titled %r" % title, "none in the manifest",
                           "harness")
                raise Stop()
            return self.navigate(visit, "choice", tid)
        return self.navigate(visit, "start")

    def _run(self):
        case = self.case
        visits = case.visits
        self.launch()
        res = self.first_request(visits[0] if visits else None, None, case.instrs.get("start", "."))
        for i, v in enumerate(visits):
            nxt = visits[i + 1] if i + 1 < len(visits) else None
            item = self.pkg.item_for_act(case.name, v.act, "Activity %s" % v.act)
            if item is None:
                self.check(v, "activity mapping", False, "an item with tc=%s&act=%s" % (case.name, v.act),
                           "none in the manifest", "harness")
                raise Stop()
            got = res.get("deliver") if res else None
            if not self.check(v, "delivery of Activity %s" % v.act, got == item.identifier,
                              'deliver "%s"' % item.identifier, _deliver_text(res)):
                raise Stop()
            if v.uiq:
                self.ui_questions(v, item, self.state(v))
            pending, initialized = self.commands(v)
            res = self.act(v, item, pending, initialized, nxt)

    # -- UI questions (section 4) ---------------------------------------------------------
    def ui_questions(self, v, item, st):
        qs = v.uiq.split("~")
        ans = v.uia.split("~")
        hidden = set(item.hide)
        valid = st.get("valid") or {}
        toc = st.get("toc") or []
        cur = st.get("current")

        def entry(title):
            tid = self.target_id(title)
            for e in toc:
                if tid is not None and (e.get("id") or "").strip() == tid:
                    return e
            return None

        for n, q in enumerate(qs):
            want = ans[n].strip() if n < len(ans) else ""
            key, _, title = q.strip().partition("@")
            if key == "click.button":
                continue
            if key in ("continue.enabled", "previous.enabled", "continue.disabled", "previous.disabled"):
                x = key.split(".")[0]
                on = bool(valid.get(x)) and x not in hidden
                got = on if key.endswith(".enabled") else not on
                detail = "valid.%s=%s%s" % (x, valid.get(x), ", hidden" if x in hidden else "")
            elif key == "toc.enabled.selectable":
                e = entry(title)
                got = bool(e and e.get("visible") and e.get("choosable"))
                detail = "toc entry %s" % (e if e else "absent")
            elif key == "toc.visible":
                e = entry(title)
                got = bool(e and e.get("visible"))
                detail = "toc entry %s" % (e if e else "absent")
            elif key == "toc.enabled":
                sel = [e.get("id") for e in toc if e.get("visible") and e.get("choosable")
                       and e.get("id") != cur and (e.get("id") or "").strip() != self.pkg.identifier]
                got = bool(sel)
                detail = "choosable besides current and root: %s" % (", ".join(sel) or "none")
            else:
                self.check(v, "UI question %s" % q, False, "a known question", "unknown key", "harness")
                continue
            self.check(v, "UI question %s" % q, (want == "Y") == got, want,
                       "%s (%s)" % ("Y" if got else "N", detail), "UIQ/UIA")

    # -- commands (section 3) -------------------------------------------------------------
    def commands(self, v):
        """Run the visit's commands; (pending adl.nav.request, initialized)."""
        pending = None
        initialized = False
        for raw, key in zip(v.commands, v.lines):
            c = self.decoder.decode(raw, key)
            if c.skipped:
                self.skipped.append((self.case.name, v.prefix, c))
                continue
            if c.method == "SetValue" and c.element == "adl.nav.request" and c.expected_ret == "true":
                pending = None if c.value == "_none_" else c.value
            try:
                ok, reply, element, rid = self._run_command(self.sess, self.case, v, c)
            except RteError as e:
                self.results.append(Result(self.case.name, v.prefix, c, False,
                                           self._expect_text(c), "no answer: %s" % e))
                raise Stop()
            if reply is not None and c.method == "Initialize" and reply["ret"] == "true":
                initialized = True
        return pending, initialized

    # -- what ends the visit (section 5) --------------------------------------------------
    def sco_terminate(self, v, on_unload, initialized):
        """The page's own Terminate("") after its commands (not for pages that wait to be
        unloaded). The reply, or None when the page does not terminate itself."""
        if on_unload:
            return None
        r = self.call(v, ["Terminate", ""], 'Terminate("")')
        if initialized:
            ok = r["ret"] == "true" and r["err"] == "0"
            self.results.append(Result(self.case.name, v.prefix, 'Terminate("") after the commands',
                                       ok, 'ret "true" err 0', 'ret "%s" err %s' % (r["ret"], r["err"]),
                                       extra=True))
        return r

    def no_delivery(self, v, r, before):
        """Terminate must deliver nothing when the tester acts next."""
        if r is not None and r.get("deliver"):
            self.check(v, 'Terminate("") before %s' % before, False, "nothing delivered",
                       _deliver_text(r))
            raise Stop()

    def must_end(self, v, r, what):
        if not self.check(v, "end of the session after %s" % what, self.ended(v, r),
                          "the session ended (deliver null / current null)", _deliver_text(r)):
            raise Stop()

    def relaunch(self, v, instruction):
        self.close(v)
        self.launch()
        return self.first_request(v, instruction, None)

    def act(self, v, item, pending, initialized, nxt):
        """Carry out the visit's CUI instruction: the reply whose deliver must be the next visit."""
        cui = v.cui or ""
        head, _, arg = cui.partition("~")
        page = os.path.basename(self.pkg.href(item).split("?")[0])
        on_unload = page in ON_UNLOAD_PAGES
        if head == "":
            r = self.sco_terminate(v, False, initialized)
            if nxt is None:
                self.must_end(v, r, "the last visit's Terminate")
            return r
        if head in UI_NAV:
            r = self.sco_terminate(v, on_unload, initialized)
            self.no_delivery(v, r, "the tester's %s" % cui)
            if head == "Choice":
                tid = self.target_id(arg)
                if tid is None:
                    self.check(v, "instruction %s" % cui, False, "an item titled %r" % arg,
                               "none in the manifest", "harness")
                    raise Stop()
                return self.navigate(v, "choice", tid)
            return self.navigate(v, "previous" if head == "Previous" else "continue")
        if head in UI_THEN_END:
            r = self.sco_terminate(v, on_unload, initialized)
            self.no_delivery(v, r, "the tester's %s" % cui)
            if head == "ChoiceExit":
                tid = self.target_id(arg)
                u = self.navigate(v, "choice", tid or arg)
            elif head == "ContinueExitCM8":
                u = self.navigate(v, "continue")
            else:
                u = self.navigate(v, "exitAll")
            self.must_end(v, u, cui)
            return self.relaunch(v, head) if nxt is not None else None
        if head in TERMINATE_ENDS:
            r = self.sco_terminate(v, on_unload, initialized)
            if on_unload:
                r = self.navigate(v, "exitAll")
            self.must_end(v, r, 'Terminate("") (%s)' % cui)
            self.ended_in_suspend_all = pending == "suspendAll"
            return self.relaunch(v, head) if nxt is not None else None
        if head == "Exit":
            r = self.sco_terminate(v, on_unload, initialized)
            self.no_delivery(v, r, "the tester exits the course")
            if r is not None and self.ended(v, r):
                self.ended_in_suspend_all = pending == "suspendAll"
            else:
                self.navigate(v, "exitAll")     # the tester leaves; not judged
            return self.relaunch(v, head) if nxt is not None else None
        if head in RELAUNCH_AFTER_END:
            r = self.sco_terminate(v, on_unload, initialized)
            if on_unload:
                r = self.navigate(v, "exitAll")
            self.must_end(v, r, 'Terminate("") (%s)' % cui)
            self.ended_in_suspend_all = pending == "suspendAll" and not on_unload
            return self.relaunch(v, head)
        if head in RELAUNCH_AFTER_LEAVING:
            r = self.sco_terminate(v, on_unload, initialized)
            self.no_delivery(v, r, "the tester leaves the course (%s)" % cui)
            if r is not None and self.ended(v, r):
                self.ended_in_suspend_all = pending == "suspendAll"
            else:
                self.navigate(v, "exitAll")     # the tester leaves; not judged
            return self.relaunch(v, head)
        if head == "SuspendCM09ca":
            r = self.sco_terminate(v, on_unload, initialized)
            self.no_delivery(v, r, "the tester's suspendAll")
            u = self.navigate(v, "suspendAll")
            self.must_end(v, u, "the tester's suspendAll")
            self.ended_in_suspend_all = True
            return self.relaunch(v, head)
        if head == "RootSX4b":
            r = self.sco_terminate(v, on_unload, initialized)
            self.no_delivery(v, r, "the tester's choice of the root")
            return self.navigate(v, "choice", self.pkg.identifier)
        self.check(v, "instruction %s" % cui, False, "a known instruction", "unknown", "harness")
        raise Stop()
