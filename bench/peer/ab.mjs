// ab: two tradegraph builds side by side over HTTP, as the peer comparison asks
// them, to judge a change before a whole bench/peer.sh run. Both servers on the same
// Neo4j and data; for each workload given (default a,c,d,e,f), after W unrecorded
// rounds, N rounds (env N, default 2000) of one request to each, in random order per
// round, every answer checked equal; prints each side's p50, p95 and mean, their p50
// ratio B/A and the median of the paired per-round ratios.
//   A_URL=http://127.0.0.1:18111/graphql B_URL=http://127.0.0.1:18112/graphql node ab.mjs c,e
import { agent, post, summary } from "./client.mjs";
import { WORKLOADS } from "./workloads.mjs";

const sides = [
  { name: "A", url: new URL(process.env.A_URL || "http://127.0.0.1:18111/graphql"), ag: agent(1) },
  { name: "B", url: new URL(process.env.B_URL || "http://127.0.0.1:18112/graphql"), ag: agent(1) },
];
const N = Number(process.env.N || 2000);
const W = Number(process.env.W || 300);
for (const key of (process.argv[2] || "a,c,d,e,f").split(",")) {
  const w = WORKLOADS.find((x) => x.key === key && x.tg);
  if (!w) throw new Error(`no tradegraph workload ${key}`);
  const payload = JSON.stringify(w.tg);
  const ms = { A: [], B: [] };
  const paired = [];
  for (let i = 0; i < W + N; i++) {
    const order = Math.random() < 0.5 ? [0, 1] : [1, 0];
    const got = {};
    for (const j of order) {
      const r = await post(sides[j].url, sides[j].ag, payload);
      if (r.status !== 200) throw new Error(`${sides[j].name} ${key}: HTTP ${r.status}: ${r.body.slice(0, 200)}`);
      got[sides[j].name] = r;
    }
    if (got.A.body !== got.B.body) throw new Error(`${key}: the answers differ:\nA ${got.A.body.slice(0, 300)}\nB ${got.B.body.slice(0, 300)}`);
    if (i >= W) {
      ms.A.push(got.A.ms);
      ms.B.push(got.B.ms);
      paired.push(got.B.ms / got.A.ms);
    }
  }
  const a = summary(ms.A);
  const b = summary(ms.B);
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const pairedMedian = [...paired].sort((x, y) => x - y)[Math.floor(paired.length / 2)];
  console.log(
    `${key}  A p50 ${a.p50.toFixed(3)} p95 ${a.p95.toFixed(3)} mean ${mean(ms.A).toFixed(3)}` +
      `  B p50 ${b.p50.toFixed(3)} p95 ${b.p95.toFixed(3)} mean ${mean(ms.B).toFixed(3)}` +
      `  B/A p50 ${(b.p50 / a.p50).toFixed(3)} paired median ${pairedMedian.toFixed(3)} ms`,
  );
}
