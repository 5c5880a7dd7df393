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


if __name__ == "__main__":
    unittest.main()
