// The runtime benchmark's other side: the same workload as bench_runtime.c through
// scorm-again 3.x in Node (logging off, no commit URL, offline support off, no autocommit).
// Output: one JSON object per line.
//   node --expose-gc scorm_again_bench.cjs TOOLS_DIR [iterations] [runs] [instances]
"use strict";
const path = require("path");

const toolsDir = process.argv[2];
const iterations = Number(process.argv[3] || 200000);
const runs = Number(process.argv[4] || 5);
const instances = Number(process.argv[5] || 2000);
const { pathToFileURL } = require("url");
const saDir = path.join(path.resolve(toolsDir), "node_modules", "scorm-again");
let sa = null; // the ESM build, loaded in main()
const fs = require("fs");
const version = JSON.parse(fs.readFileSync(
  path.join(saDir, "package.json"), "utf8")).version;
const settings = { logLevel: 5, lmsCommitUrl: false, enableOfflineSupport: false, autocommit: false };
const CALLS_PER_ITERATION = 9;

let failures = 0;
function expect(got, want, api, wantErr, what) {
  const err = Number(api.lastErr());
  if (got !== want || err !== wantErr) {
    if (failures++ < 5)
      console.error(`scorm-again: ${what} gave "${got}" error ${err}, expected "${want}" error ${wantErr}`);
  }
}

const sides = {
  "2004": {
    make: () => {
      const a = new sa.Scorm2004API(settings);
      return {
        init: () => a.Initialize(""), set: (e, v) => a.SetValue(e, v), get: (e) => a.GetValue(e),
        lastErr: () => a.GetLastError(),
      };
    },
    loc: "cmi.location", score: "cmi.score.scaled", good: "0.5", bad: "2", badErr: 407,
    resp: "learner_response", respVal: "a[,]b", st: "cmi.session_time", stVal: "PT1M30S",
  },
  "1.2": {
    make: () => {
      const a = new sa.Scorm12API(settings);
      return {
        init: () => a.LMSInitialize(""), set: (e, v) => a.LMSSetValue(e, v),
        get: (e) => a.LMSGetValue(e), lastErr: () => a.LMSGetLastError(),
      };
    },
    loc: "cmi.core.lesson_location", score: "cmi.core.score.raw", good: "50", bad: "200", badErr: 405,
    resp: "student_response", respVal: "a,b", st: "cmi.core.session_time", stVal: "00:01:30",
  },
};

function runWorkload(s, n) {
  // The interaction element names and ids, made once outside the timed loop (both sides).
  const names = [];
  for (let k = 0; k < 250; k++)
    names.push([`cmi.interactions.${k}.id`, `cmi.interactions.${k}.type`,
      `cmi.interactions.${k}.${s.resp}`, "q" + k]);
  const api = s.make();
  const t0 = process.hrtime.bigint();
  expect(api.init(), "true", api, 0, "Initialize");
  for (let i = 0; i < n; i++) {
    const nm = names[i % 250];
    const page = "page" + i;
    expect(api.set(s.loc, page), "true", api, 0, s.loc);
    expect(api.get(s.loc), page, api, 0, s.loc);
    expect(api.set(s.score, s.good), "true", api, 0, s.score);
    expect(api.set(nm[0], nm[3]), "true", api, 0, "interactions.id");
    expect(api.set(nm[1], "choice"), "true", api, 0, "interactions.type");
    expect(api.set(nm[2], s.respVal), "true", api, 0, "interactions.response");
    const count = api.get("cmi.interactions._count");
    expect(count, String(i < 250 ? i + 1 : 250), api, 0, "interactions._count");
    expect(api.set(s.st, s.stVal), "true", api, 0, s.st);
    expect(api.set(s.score, s.bad), "false", api, s.badErr, s.score);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function measureMemory(s, m) {
  const keep = new Array(m);
  global.gc(); global.gc();
  const h0 = process.memoryUsage().heapUsed;
  for (let j = 0; j < m; j++) {
    const api = s.make();
    expect(api.init(), "true", api, 0, "Initialize");
    expect(api.set(s.loc, "page1"), "true", api, 0, s.loc);
    expect(api.set(s.score, s.good), "true", api, 0, s.score);
    for (let k = 0; k < 50; k++) {
      expect(api.set(`cmi.interactions.${k}.id`, "q" + k), "true", api, 0, "interactions.id");
      expect(api.set(`cmi.interactions.${k}.type`, "choice"), "true", api, 0, "interactions.type");
      expect(api.set(`cmi.interactions.${k}.${s.resp}`, s.respVal), "true", api, 0, "interactions.response");
    }
    keep[j] = api;
  }
  global.gc(); global.gc();
  const h1 = process.memoryUsage().heapUsed;
  if (keep.length !== m) throw new Error("lost instances");
  return (h1 - h0) / m;
}

async function main() {
if (typeof global.gc !== "function") {
  console.error("scorm-again bench: run node with --expose-gc");
  process.exit(2);
}
sa = await import(pathToFileURL(path.join(saDir, "dist", "esm", "scorm-again.js")).href);
for (const scorm of ["2004", "1.2"]) {
  const s = sides[scorm];
  runWorkload(s, Math.floor(iterations / 10) + 1);
  let best = Infinity;
  for (let r = 0; r < runs; r++) best = Math.min(best, runWorkload(s, iterations));
  const calls = 1 + iterations * CALLS_PER_ITERATION;
  console.log(JSON.stringify({ side: "scorm-again", version, scorm, measure: "calls", iterations,
    calls, seconds: best, calls_per_second: Math.round(calls / best) }));
  console.log(JSON.stringify({ side: "scorm-again", version, scorm, measure: "memory", instances,
    interactions: 50, heap_bytes_per_runtime: Math.round(measureMemory(s, instances)) }));
}
if (failures) {
  console.error(`scorm-again bench: ${failures} API answers were not the expected ones`);
  process.exit(1);
}
}
main();
