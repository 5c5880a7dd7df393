#!/usr/bin/env python3
"""Judges one run of sample_course_rte.html: reads Chromium's --dump-dom output
on standard input and checks the API calls the SCO made for the scenario named
by argv[1]
(argv[2], the SCO, names the run in messages; argv[3], when given, receives
the calls as `somo rte` input lines).

With --replay SOMO CALLS LABEL it instead replays such a file through
`SOMO rte` and checks that Somo's runtime accepts every call. Exit 0 when right, 1 with the reasons otherwise."""
import html
import json
import re
import subprocess
import sys


def replay(somo, calls_file, label):
    """Replays recorded calls through `somo rte`: Somo's runtime must accept
    every one as the independent implementation did."""
    calls = [json.loads(line) for line in open(calls_file, encoding="utf-8")]
    init = calls_file + ".init.json"
    with open(init, "w", encoding="utf-8") as f:
        json.dump({"cmi.scaled_passing_score": "0.8"}, f)
    proc = subprocess.run([somo, "rte", "--init", init], input="".join(
        json.dumps(c) + "\n" for c in calls), capture_output=True, text=True, timeout=120)
    replies = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    problems = []
    if proc.returncode != 0:
        problems.append(f"somo rte exited {proc.returncode}: {proc.stderr.strip()}")
    if len(replies) != len(calls):
        problems.append(f"{len(replies)} replies to {len(calls)} calls")
    for call, reply in zip(calls, replies):
        if reply.get("err") != "0" and not (call[0] == "GetValue" and reply.get("err") == "403"):
            problems.append(f"{call} -> {reply}")
    if problems:
        print(f"{label} through somo rte: FAILED")
        for p in problems[:20]:
            print("  " + p)
        sys.exit(1)
    print(f"{label} through somo rte: ok ({len(calls)} calls)")
    sys.exit(0)


if sys.argv[1] == "--replay":
    replay(sys.argv[2], sys.argv[3], sys.argv[4])

scenario = sys.argv[1]
label = f"{scenario} ({sys.argv[2]})" if len(sys.argv) > 2 else scenario
dom = sys.stdin.read()
m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
if not m or m.group(1).strip() == "pending":
    sys.exit(f"{label}: the page produced no result")
run = json.loads(html.unescape(m.group(1)))
calls = run["calls"]
problems = list(run["errors"])
if run.get("fatal"):
    problems.append(run["fatal"])


def sets(element):
    """Values the SCO set on element, in order."""
    return [c[2] for c in calls if c[0] == "SetValue" and c[1] == element]


def last(element):
    v = sets(element)
    return v[-1] if v else None


def expect(cond, text):
    if not cond:
        problems.append(text)


inits = [c for c in calls if c[0] == "Initialize"]
terms = [c for c in calls if c[0] == "Terminate"]
expect(len(inits) == 1 and inits[0][3] == "true", f"Initialize called {len(inits)} times")
expect(len(terms) == 1 and terms[0][3] == "true", f"Terminate called {len(terms)} times")
if calls:
    expect(calls[0][0] == "Initialize", "the first call is not Initialize")
    after = calls[calls.index(terms[0]) + 1:] if terms else []
    expect(not after, f"calls after Terminate: {after}")
st = last("cmi.session_time")
expect(st is not None and re.fullmatch(r"PT(\d+H)?(\d+M)?\d+(\.\d{1,2})?S", st),
       f"cmi.session_time is {st!r}")

if scenario == "leave":
    expect(last("cmi.exit") == "suspend", f"cmi.exit is {last('cmi.exit')!r}, not suspend")
    expect(not sets("adl.nav.request"), "a navigation request on leaving")
    expect(last("cmi.location") == "2", f"cmi.location is {last('cmi.location')!r}")
else:
    expect(last("cmi.exit") == "normal", f"cmi.exit is {last('cmi.exit')!r}, not normal")
    expect(last("adl.nav.request") == "continue",
           f"adl.nav.request is {last('adl.nav.request')!r}, not continue")
    expect(last("cmi.completion_status") == "completed",
           f"cmi.completion_status is {last('cmi.completion_status')!r}")

if scenario.startswith("quiz"):
    passed = scenario == "quiz-pass"
    ids = {}
    for c in calls:
        mm = re.fullmatch(r"cmi\.interactions\.(\d+)\.(.+)", c[1]) if c[0] == "SetValue" else None
        if mm:
            ids.setdefault(int(mm.group(1)), {})[mm.group(2)] = c[2]
    expect(len(ids) == 7, f"{len(ids)} interactions reported, not 7")
    types = sorted({i.get("type") for i in ids.values()})
    expect(types == ["choice", "fill-in", "matching", "numeric", "sequencing", "true-false"],
           f"interaction types {types}")
    for n, i in sorted(ids.items()):
        for field in ("id", "type", "timestamp", "description", "correct_responses.0.pattern",
                      "learner_response", "result", "latency"):
            expect(field in i, f"interaction {n} has no {field}")
    results = [i.get("result") for i in ids.values()]
    expect(all(r == "correct" for r in results) if passed else results.count("correct") < 6,
           f"results {results}")
    scaled = float(last("cmi.score.scaled") or "nan")
    raw = last("cmi.score.raw")
    expect(last("cmi.score.min") == "0" and last("cmi.score.max") == "7", "score range is not 0..7")
    expect((scaled == 1.0 and raw == "7") if passed else scaled < 0.8,
           f"score {raw} / scaled {scaled}")
    expect(last("cmi.success_status") == ("passed" if passed else "failed"),
           f"cmi.success_status is {last('cmi.success_status')!r}")
    try:
        saved = json.loads(last("cmi.suspend_data") or "")
        expect(saved.get("submitted") is True and len(saved.get("answers", {})) == 7,
               "cmi.suspend_data does not hold the 7 submitted answers")
    except ValueError:
        problems.append("cmi.suspend_data is not JSON")

if len(sys.argv) > 3:
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        for c in calls:
            f.write(json.dumps([c[0], c[1]] + ([c[2]] if c[2] is not None else [])) + "\n")

if problems:
    print(f"{label}: FAILED")
    for p in problems:
        print("  " + p)
    sys.exit(1)
print(f"{label}: ok ({len(calls)} API calls, no errors)")
