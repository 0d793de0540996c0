// Runs graphql-http's GraphQL-over-HTTP audit against a /graphql URL and prints one
// JSON line per audit: {"id","name","status","reason"}. status is "ok", "error" (a
// MUST that fails), "warn" (a SHOULD) or "notice" (a MAY). Exits 1 when a MUST fails.
//
//   node audit.mjs http://127.0.0.1:8080/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}
const results = await auditServer({ url });
let failed = 0;
for (const r of results) {
  if (r.status === 'error') failed++;
  console.log(JSON.stringify({ id: r.id, name: r.name, status: r.status, reason: r.reason ?? '' }));
}
process.exit(failed > 0 ? 1 : 0);
