#!/usr/bin/env python3
"""Self-test of the ADL CTS replay: reading, decoding and judging must reject wrong answers,
so that adl-cts-rte can fail. Run: python3 test_adlcts.py [-v]"""

import os
import stat
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from adlcts import casefile, decode, judge, manifest, replay  # noqa: E402

TABLE = {
    "a": "adl", "c": "cmi", "n": "nav", "r": "request", "rv": "request_valid",
    "tar": "{target=%s}", "TY.c": "choice", "TY.m": "matching", "OB": "objectives",
    "ID": "id", "CNT": "_count", "LOC": "location", "X": "exit", "X.s": "suspend",
    "t": "true", "f": "false", "es": "", "LN": "learner_name", "LI": "learner_id",
    "INTR": "interactions", "CR": "correct_responses", "P": "pattern", "N.j": "jump",
    "DA": "data", "STR": "store", "unk": "unknown",
}


def corpus_root():
    for c in (os.environ.get("SOMO_CORPUS_DIR"), os.path.join(HERE, "..", "..", "..", "shared", "corpus")):
        if c and os.path.isdir(os.path.join(c, "adl-cts-2004-4th", "LMSRTE")):
            return os.path.join(c, "adl-cts-2004-4th")
    return None


class CaseFileTest(unittest.TestCase):
    def write(self, text, enc="cp1252"):
        fd, path = tempfile.mkstemp(suffix=".properties")
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode(enc))
        self.addCleanup(os.remove, path)
        return path

    def test_joining_comments_visits(self):
        path = self.write(textwrap.dedent("""\
            title=X
            start=.
            ####################
            Act1V1.commands.0=I->->t->0
            Act1V1.commands.1=SET->c~LOC!ab\\
             cd->t->0
            Act2V1.commands.0=I->->t->0
            Act1V1.commands.0=GLE->->0->0
            Act1V1.commands.0=GLE->->0->0
            Act1V1.CUI=Exit
            """))
        c = casefile.parse_case(path, "X")
        self.assertEqual([v.prefix for v in c.visits], ["Act1V1", "Act2V1", "Act1V1"])
        self.assertEqual(c.visits[0].commands[1], "SET->c~LOC!ab cd->t->0")
        self.assertEqual(len(c.visits[2].commands), 2)  # file order, the index is not used
        self.assertEqual(c.visits[2].cui, "Exit")
        self.assertEqual(c.instrs["start"], ".")

    def test_windows_1252_and_unicode(self):
        path = self.write("Act1aV1.commands.0=GET->c~LOC->it\u2019s \\u0041\\q->0\n")
        c = casefile.parse_case(path, "Y")
        self.assertEqual(c.visits[0].act, "1a")
        self.assertEqual(c.visits[0].commands[0], "GET->c~LOC->it\u2019s A\\q->0")


class DecodeTest(unittest.TestCase):
    def setUp(self):
        self.d = decode.Decoder(TABLE, "lid", "lname")

    def test_get(self):
        c = self.d.decode("GET->c~OB~CNT->4->0")
        self.assertEqual((c.method, c.element, c.expected_ret, c.expected_err),
                         ("GetValue", "cmi.objectives._count", "4", "0"))
        c = self.d.decode("GET->a~n~rv~TY.c~tar~act_2->t->0")
        self.assertEqual(c.element, "adl.nav.request_valid.choice.{target=act_2}")
        self.assertEqual(c.expected_ret, "true")
        c = self.d.decode("GET->c~INTR~0~CR~0~P!TY.m->a[.]b->0")
        self.assertEqual((c.element, c.itype), ("cmi.interactions.0.correct_responses.0.pattern", "matching"))
        self.assertEqual(self.d.decode("GET->c~X->es->0").expected_ret, "es")
        self.assertEqual(self.d.decode("GET->c~LI->m->0").expected_ret, "lid")

    def test_set(self):
        c = self.d.decode("SET->c~X!X.s->t->0")
        self.assertEqual((c.element, c.value, c.expected_ret), ("cmi.exit", "suspend", "true"))
        c = self.d.decode("SET->a~n~r!tar~activity_1~TY.c->t->0")
        self.assertEqual((c.element, c.value), ("adl.nav.request", "{target=activity_1}choice"))
        c = self.d.decode("SET->a~DA~&t1&~STR!x!y->0->t->0")
        self.assertEqual((c.element, c.value, c.expected_ret, c.expected_err),
                         ("adl.data.&t1&.store", "x!y", "true", "0"))
        c = self.d.decode("SET->!test->f->351")
        self.assertEqual((c.element, c.value), ("", "test"))

    def test_other_heads(self):
        c = self.d.decode("GES->402->less255->0")
        self.assertEqual((c.method, c.arg, c.expected_ret), ("GetErrorString", "402", "less255"))
        self.assertEqual(self.d.decode("GLE->->201->201").call(), ["GetLastError"])
        self.assertTrue(self.d.decode("c~INTR~6~CR~0~P!TY.m->x->0").skipped)


class JudgeTest(unittest.TestCase):
    def setUp(self):
        self.d = decode.Decoder(TABLE, "lid", "lname")

    def verdict(self, raw, ret, err, element=None, rid=None):
        c = self.d.decode(raw)
        return judge.judge(c, element or c.element or "", ret, err, rid)

    def test_typed_equality(self):
        eq = judge.dm_equal
        self.assertTrue(eq("cmi.score.scaled", "0.5", "0.5000000"))
        self.assertFalse(eq("cmi.score.scaled", "0.5", "0.51"))
        self.assertTrue(eq("cmi.total_time", "PT2H20S", "PT2H0M20S"))
        self.assertFalse(eq("cmi.total_time", "PT2H20S", "PT2H21S"))
        self.assertTrue(eq("cmi.interactions.0.timestamp", "2004-06-30T14:00:00.10-05:59",
                           "2004-06-30T19:59:00Z"))
        self.assertTrue(eq("cmi._children", "a,b", "b,a"))
        self.assertTrue(eq("cmi.objectives.0.description", "x", "{lang=EN}x"))
        self.assertFalse(eq("cmi.objectives.0.description", "x", "{lang=fr}x"))
        self.assertTrue(eq("cmi.interactions.0.correct_responses.0.pattern", "a[,]b", "b[,]a", "choice"))
        self.assertFalse(eq("cmi.interactions.0.correct_responses.0.pattern", "a[.]b", "b[.]a", "matching"))
        self.assertTrue(eq("cmi.interactions.0.correct_responses.0.pattern",
                           "{case_matters=false}{order_matters=true}Ab", "aB", "fill-in"))
        self.assertFalse(eq("cmi.location", "abc", "ABC"))

    def test_rules(self):
        self.assertTrue(self.verdict("SET->c~LOC!x->t->0", "true", "0").ok)
        self.assertFalse(self.verdict("SET->c~LOC!x->t->0", "true", "101").ok)
        self.assertFalse(self.verdict("SET->c~LOC!x->t->0", "false", "0").ok)
        self.assertTrue(self.verdict("GET->c~LN->->0", "anything", "0").ok)          # error_only
        self.assertFalse(self.verdict("GET->c~LN->->0", "anything", "403").ok)
        self.assertTrue(self.verdict("GET->a~n~rv~TY.c~tar~x->t->0", "unknown", "301").ok)
        self.assertFalse(self.verdict("GET->a~n~rv~TY.c~tar~x->t->0", "maybe", "0").ok)
        self.assertFalse(self.verdict("GET->c~OB~CNT->4->0", "4.0", "0").ok)        # _count exact
        self.assertTrue(self.verdict("GES->0->less255->0", "No Error", "0").ok)
        self.assertFalse(self.verdict("GES->0->less255->0", "x" * 255, "0").ok)
        self.assertFalse(self.verdict("GES->1444->emptyCS->0", "x", "0").ok)
        self.assertTrue(self.verdict("GET->a~DA~&t1&~ID->->0", "t1", "0", "adl.data.0.id", "t1").ok)
        self.assertFalse(self.verdict("GET->a~DA~&t1&~ID->->0", "t2", "0", "adl.data.0.id", "t1").ok)


FAKE_RTE = """#!/usr/bin/env python3
import json, sys
if "--help" in sys.argv:
    print("usage: somo rte [--init FILE] [--state FILE]")
    sys.exit(0)
for line in sys.stdin:
    call = json.loads(line)
    print(json.dumps({"call": call[0], "ret": "true", "err": "0"}), flush=True)
"""


class ReplayFailsTest(unittest.TestCase):
    """A runtime that answers "true"/0 to everything must fail the API case."""

    def test_wrong_runtime_fails(self):
        root = corpus_root()
        if root is None:
            self.skipTest("no corpus")
        courses = os.path.join(root, "LMSRTE", "Courses")
        table = casefile.load_table(os.path.join(root, "decoder-resources", "Commands.properties"))
        dec = decode.Decoder(table, replay.LEARNER_ID, replay.LEARNER_NAME)
        with tempfile.TemporaryDirectory() as work:
            fake = os.path.join(work, "somo")
            with open(fake, "w") as f:
                f.write(FAKE_RTE)
            os.chmod(fake, os.stat(fake).st_mode | stat.S_IEXEC)
            r = replay.RteReplay(fake, courses, work, dec, log=lambda *a: None)
            case = casefile.parse_case(os.path.join(courses, "TestCases", "API.properties"))
            r.run_case(case, lambda n: manifest.Package(
                os.path.join(courses, "LMSTestPackage_%s" % n, "imsmanifest.xml")))
            failed = [x for x in r.results if not x.ok and not x.extra]
            passed = [x for x in r.results if x.ok and not x.extra]
            self.assertGreater(len(failed), 10)
            self.assertGreater(len(passed), 0)  # Initialize -> true/0 is right even here



# A miniature LMS behind the `somo session` protocol: leaf items flow in document order,
# adl.nav.request acts at Terminate, suspendAll persists in --db. FAKE_BUG breaks one thing.
FAKE_SESSION = r"""#!/usr/bin/env python3
import json, os, sys, time
args = sys.argv[1:]
assert args[0] == "session", args
pkg, db = args[1], args[args.index("--db") + 1]
bug = os.environ.get("FAKE_BUG", "")
items = ["activity_1", "activity_2", "activity_3"]
store = json.load(open(db)) if os.path.exists(db) else {}
cur, vals, nav, inited = None, {}, None, False
def out(o):
    print(json.dumps(o), flush=True)
def deliver(i):
    global cur, vals, nav, inited
    cur, nav, inited = items[i], None, False
    vals = dict(store.get("vals-" + cur, {}))
    return cur
def go(req, target=None):
    global cur
    if req == "start":
        return deliver(0)
    if req == "resumeAll":
        s = store.pop("suspended", None)
        return deliver(items.index(s)) if s else None
    if req in ("exitAll", "suspendAll"):
        if req == "suspendAll":
            store["suspended"] = cur
        cur = None
        return None
    i = items.index(cur) if cur else -1
    if req == "continue":
        i += 2 if bug == "skip" and i == 1 else 1
        return deliver(i) if i < len(items) else None
    if req == "previous":
        return deliver(i - 1) if i > 0 else None
    if req == "choice":
        return deliver(items.index(target))
for line in sys.stdin:
    c = json.loads(line)
    if c[0] == "navigate":
        d = go(c[1], c[2] if len(c) > 2 else None)
        out({"call": "navigate", "ok": True, "deliver": d})
    elif c[0] == "state":
        i = items.index(cur) if cur else -1
        out({"call": "state", "current": cur,
             "valid": {"continue": cur is not None and i < 2, "previous": i > 0 or bug == "ui",
                       "exit": True, "exitAll": True, "suspendAll": True},
             "toc": [{"id": x, "title": "Activity %d" % (n + 1), "visible": True, "choosable": True}
                     for n, x in enumerate(items)]})
    elif c[0] == "Initialize":
        inited = True
        out({"call": c[0], "ret": "true", "err": "0"})
    elif c[0] == "SetValue":
        if c[1] == "adl.nav.request":
            nav = c[2]
        vals[c[1]] = c[2]
        out({"call": c[0], "ret": "true", "err": "0"})
    elif c[0] == "GetValue":
        v = vals.get(c[1])
        if bug == "value" and v is not None:
            v = v + "x"
        out({"call": c[0], "ret": v if v is not None else "", "err": "0" if v is not None else "403"})
    elif c[0] == "Terminate":
        if bug == "hang":
            time.sleep(30)
        if bug != "noresume":
            store["vals-" + cur] = vals
        r = {"call": c[0], "ret": "true", "err": "0"}
        if nav and nav != "_none_":
            r["deliver"] = go(nav)
        out(r)
    else:
        out({"call": c[0], "ret": "", "err": "0"})
json.dump(store if bug != "noresume" else {}, open(db, "w"))
sys.exit(1 if bug == "exit1" else 0)
"""

SEQ_TABLE = "a=adl\nn=nav\nr=request\nc=cmi\nLOC=location\nt=true\nN.c=continue\nX=exit\nM.n=normal\n"

SEQ_CASE = """title=X-01
start=.
Act1V1.UIQ=continue.enabled~previous.enabled~toc.enabled
Act1V1.UIA=Y~N~Y
Act1V1.commands.0=I->->t->0
Act1V1.commands.1=SET->c~LOC!abc->t->0
Act1V1.commands.2=GET->c~LOC->abc->0
Act1V1.commands.3=SET->a~n~r!N.c->t->0
Act2V1.commands.0=I->->t->0
Act2V1.commands.1=SET->c~LOC!two->t->0
Act2V1.commands.2=SET->a~n~r!suspendAll->t->0
Act2V1.CUI=RelaunchCM5
Act2V2.commands.0=I->->t->0
Act2V2.commands.1=GET->c~LOC->two->0
Act2V2.CUI=Continue
Act3V1.UIQ=continue.disabled~previous.enabled~toc.enabled.selectable@Activity 1
Act3V1.UIA=Y~Y~Y
Act3V1.commands.0=I->->t->0
Act3V1.CUI=Exit
"""

SEQ_ITEM = """<item identifier="activity_%d" identifierref="SEQ01" parameters="?tc=X-01&amp;act=%d">
 <title>Activity %d</title>%s</item>"""

SEQ_MANIFEST = """<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
 xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3">
<organizations default="X-01"><organization identifier="X-01"><title>LMS Test Content Package X-01</title>
%s
</organization></organizations>
<resources><resource identifier="SEQ01" type="webcontent" adlcp:scormType="sco" href="SequencingTest.htm"/></resources>
</manifest>
"""

HIDE = """<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>continue</adlnav:hideLMSUI>
</adlnav:navigationInterface></adlnav:presentation>"""


class SeqReplayTest(unittest.TestCase):
    """The sequencing replay passes a session that does what the case says and fails one
    that delivers, answers, ends or exits wrongly."""

    def setUp(self):
        from adlcts import seqreplay
        self.seqreplay = seqreplay
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        w = self.tmp.name
        self.courses = os.path.join(w, "LMSRTE", "Courses")
        os.makedirs(os.path.join(self.courses, "TestCases"))
        pdir = os.path.join(self.courses, "LMSTestPackage_X-01")
        os.makedirs(pdir)
        with open(os.path.join(self.courses, "TestCases", "X-01.properties"), "w") as f:
            f.write(SEQ_CASE)
        items = "\n".join(SEQ_ITEM % (n, n, n, HIDE if n == 3 else "") for n in (1, 2, 3))
        with open(os.path.join(pdir, "imsmanifest.xml"), "w") as f:
            f.write(SEQ_MANIFEST % items)
        table = os.path.join(w, "Commands.properties")
        with open(table, "w") as f:
            f.write(SEQ_TABLE)
        self.dec = decode.Decoder(casefile.load_table(table), "lid", "lname")
        self.fake = os.path.join(w, "somo")
        with open(self.fake, "w") as f:
            f.write(FAKE_SESSION)
        os.chmod(self.fake, os.stat(self.fake).st_mode | stat.S_IEXEC)

    def play(self, bug="", seconds=20.0):
        import time
        os.environ["FAKE_BUG"] = bug
        self.addCleanup(os.environ.pop, "FAKE_BUG", None)
        case = casefile.parse_case(os.path.join(self.courses, "TestCases", "X-01.properties"))
        pkg = manifest.Package(os.path.join(self.courses, "LMSTestPackage_X-01", "imsmanifest.xml"))
        db = os.path.join(self.tmp.name, "store-%s.json" % (bug or "ok"))
        r = self.seqreplay.CaseReplay(self.fake, self.courses, self.tmp.name, self.dec, case, pkg,
                                      db, deadline=time.monotonic() + seconds)
        return r.run()

    def test_right_session_passes(self):
        r = self.play()
        self.assertTrue(r.passed, [x.line() for x in r.results if not x.ok])
        kinds = " ".join(str(x.cmd) for x in r.results)
        self.assertIn("delivery of Activity 3", kinds)
        self.assertEqual(r.launches, 2)

    def first(self, bug, **kw):
        r = self.play(bug, **kw)
        self.assertFalse(r.passed)
        f = r.first_failure()
        return f.visit, f.cmd if isinstance(f.cmd, str) else f.cmd.key

    def test_wrong_delivery(self):
        self.assertEqual(self.first("skip"), ("Act3V1", "delivery of Activity 3"))

    def test_wrong_ui_answer(self):
        self.assertEqual(self.first("ui"), ("Act1V1", "UI question previous.enabled"))

    def test_wrong_value(self):
        self.assertEqual(self.first("value"), ("Act1V1", "Act1V1.commands.2"))

    def test_lost_state_across_relaunch(self):
        self.assertEqual(self.first("noresume"), ("Act2V2", "delivery of Activity 2"))

    def test_non_zero_exit(self):
        self.assertEqual(self.first("exit1")[1], "end of input of launch 1")

    def test_hang_fails_the_case_in_time(self):
        import time
        t0 = time.monotonic()
        v, what = self.first("hang", seconds=3.0)
        self.assertEqual((v, what), ("Act1V1", 'Terminate("")'))
        self.assertLess(time.monotonic() - t0, 10)


if __name__ == "__main__":
    unittest.main()
