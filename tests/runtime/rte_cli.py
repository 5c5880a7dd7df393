#!/usr/bin/env python3
"""somo rte, the scripted runtime harness of DESIGN.md, driven as outside suites drive it:
one JSON array per line in, one JSON object per line out; --init, --state, --shared."""
import json, os, subprocess, sys, tempfile

somo = sys.argv[1]
failures = 0
checks = 0


def run(args, lines, scorm=None):
    cmd = [somo, "rte"] + (["--scorm", scorm] if scorm else []) + args
    p = subprocess.run(cmd, input="".join(l + "\n" for l in lines), capture_output=True,
                       text=True, timeout=60)
    return p.returncode, [json.loads(l) for l in p.stdout.splitlines()], p.stderr


def expect(what, got, want):
    global failures, checks
    checks += 1
    if got != want:
        failures += 1
        print("FAIL %s:\n  got  %r\n  want %r" % (what, got, want))


with tempfile.TemporaryDirectory() as d:
    init = os.path.join(d, "init.json")
    state = os.path.join(d, "state.json")
    shared = os.path.join(d, "shared.json")
    json.dump({"cmi.learner_id": "k-001", "cmi.scaled_passing_score": "0.8",
               "cmi.launch_data": "chapter=1",
               "adl.data": [{"id": "notes", "readSharedData": True, "writeSharedData": True},
                            {"id": "ro", "writeSharedData": False}]}, open(init, "w"))

    # the contract's own examples
    rc, out, _ = run([], ['["Initialize",""]', '["SetValue","cmi.score.scaled","1.5"]',
                          '["GetValue","cmi.score.scaled"]', '["GetErrorString","407"]'])
    expect("exit status", rc, 0)
    expect("examples", out, [
        {"call": "Initialize", "ret": "true", "err": "0"},
        {"call": "SetValue", "ret": "false", "err": "407"},
        {"call": "GetValue", "ret": "", "err": "403"},
        {"call": "GetErrorString", "ret": "Data Model Element Value Out Of Range", "err": "403"}])

    # bad lines are answered with an error and the run goes on
    rc, out, _ = run([], ['not json', '{"a":1}', '[1,2]', '[]', '["Fly"]', '["Initialize",""]'])
    expect("bad lines exit status", rc, 0)
    expect("bad lines count", len(out), 6)
    expect("bad lines are errors", [("error" in o) for o in out], [True] * 5 + [False])
    expect("run goes on", out[5], {"call": "Initialize", "ret": "true", "err": "0"})

    # GetLastError does not change the last error; SCORM 1.2 names with --scorm 1.2
    rc, out, _ = run([], ['["LMSInitialize",""]', '["LMSGetValue","cmi.core._count"]',
                          '["LMSGetLastError"]', '["LMSGetErrorString","203"]',
                          '["LMSGetValue","cmi.core.student_id"]'], scorm="1.2")
    expect("1.2 names", [(o["ret"], o["err"]) for o in out],
           [("true", "0"), ("", "203"), ("203", "203"),
            ("Element not an array - cannot have count", "203"), ("", "0")])

    # --init supplies LMS values; --state carries the attempt; --shared the stores
    s1 = ['["Initialize",""]', '["GetValue","cmi.learner_id"]', '["GetValue","cmi.launch_data"]',
          '["GetValue","cmi.entry"]', '["SetValue","cmi.location","p7"]',
          '["SetValue","adl.data.0.store","remember me"]', '["SetValue","adl.data.1.store","x"]',
          '["SetValue","cmi.score.scaled","0.9"]', '["GetValue","cmi.success_status"]',
          '["SetValue","cmi.session_time","PT2M"]', '["SetValue","cmi.exit","suspend"]',
          '["Terminate",""]']
    rc, out, _ = run(["--init", init, "--state", state, "--shared", shared], s1)
    expect("first session", [(o["ret"], o["err"]) for o in out],
           [("true", "0"), ("k-001", "0"), ("chapter=1", "0"), ("ab-initio", "0"),
            ("true", "0"), ("true", "0"), ("false", "404"), ("true", "0"), ("passed", "0"),
            ("true", "0"), ("true", "0"), ("true", "0")])
    expect("state written", os.path.exists(state), True)
    expect("shared written", json.load(open(shared)), {"notes": "remember me"})
    s2 = ['["Initialize",""]', '["GetValue","cmi.entry"]', '["GetValue","cmi.location"]',
          '["GetValue","cmi.total_time"]', '["GetValue","adl.data.0.store"]',
          '["SetValue","adl.data.0.store",""]', '["SetValue","cmi.exit","normal"]',
          '["Terminate",""]']
    rc, out, _ = run(["--init", init, "--state", state, "--shared", shared], s2)
    expect("resumed session", [(o["ret"], o["err"]) for o in out],
           [("true", "0"), ("resume", "0"), ("p7", "0"), ("PT2M", "0"), ("remember me", "0"),
            ("true", "0"), ("true", "0"), ("true", "0")])
    expect("emptied store leaves the shared file", json.load(open(shared)), {})
    s3 = ['["Initialize",""]', '["GetValue","cmi.entry"]', '["GetValue","cmi.location"]',
          '["GetValue","adl.data.0.store"]']
    rc, out, _ = run(["--init", init, "--state", state, "--shared", shared], s3)
    expect("new attempt", [(o["ret"], o["err"]) for o in out],
           [("true", "0"), ("ab-initio", "0"), ("", "403"), ("", "403")])

    # a damaged state or init file is refused with a message, not a crash
    open(state, "w").write("{not json")
    rc, out, err = run(["--state", state], ['["Initialize",""]'])
    expect("damaged state refused", (rc != 0, out, bool(err.strip())), (True, [], True))
    rc, out, err = run(["--init", os.path.join(d, "missing.json")], ['["Initialize",""]'])
    expect("missing init refused", (rc != 0, bool(err.strip())), (True, True))
    rc, out, err = run(["--scorm", "3"], [])
    expect("bad version refused", rc != 0, True)
    p = subprocess.run([somo, "rte", "--help"], capture_output=True, text=True, timeout=60)
    expect("help lists --state and --shared",
           (p.returncode, "--state FILE" in p.stdout, "--shared FILE" in p.stdout), (0, True, True))

print("somo rte: %d checks, %d failed" % (checks, failures))
sys.exit(1 if failures else 0)
