// tgsplit: where a tradegraph request's time goes, from outside. For each workload
// given (default z,f,c,d), after 300 unrecorded rounds, N sequential requests (env N,
// default 2000) on one keep-alive connection; prints the client's p50 and mean, and,
// from the server's /metrics before and after, the mean per request of its GraphQL
// operation (reading the request to the response) and of its Neo4j statements
// (session, round trip, records: Store.run). client - operation is the HTTP path and
// the middleware; operation - statements is the server's own Go work.
//   TG_URL=http://127.0.0.1:8080/graphql node tgsplit.mjs z,f,c,d
import { SERVERS, agent, post, summary } from "./client.mjs";
import { WORKLOADS } from "./workloads.mjs";
const url = SERVERS.tg.url;
const base = new URL("/metrics", url);
const label = (k) => (k.match(/operation="(\w+)"/) || [, k.includes("routing") ? "statements" : k])[1];
const ag = agent(1);
async function metrics() {
  const r = await fetch(base);
  const t = await r.text();
  const out = {};
  for (const line of t.split("\n")) {
    const m = line.match(/^(tradegraph_graphql_operation_duration_seconds|tradegraph_neo4j_query_duration_seconds)_(sum|count)\{([^}]*)\} (\S+)/);
    if (m) out[`${m[1]}|${m[3]}|${m[2]}`] = Number(m[4]);
  }
  return out;
}
for (const key of (process.argv[2] || "z,f,c,d").split(",")) {
  const w = WORKLOADS.find((x) => x.key === key);
  const payload = JSON.stringify(w.tg);
  for (let i = 0; i < 300; i++) await post(url, ag, payload);
  const m0 = await metrics();
  const ms = [];
  const N = Number(process.env.N || 2000);
  for (let i = 0; i < N; i++) ms.push((await post(url, ag, payload)).ms);
  const m1 = await metrics();
  const s = summary(ms);
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  const d = {};
  for (const k of Object.keys(m1)) d[k] = m1[k] - (m0[k] || 0);
  const per = {};
  for (const k of Object.keys(d)) if (k.endsWith("|sum") && d[k.replace("|sum", "|count")] > 0) per[k.replace("|sum", "")] = (1000 * d[k]) / N;
  console.log(key, `client p50 ${s.p50.toFixed(3)} mean ${mean.toFixed(3)} ms`, JSON.stringify(Object.fromEntries(Object.entries(per).map(([k, v]) => [label(k), v.toFixed(3)]))));
}
