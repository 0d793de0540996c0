// The questions both servers are asked, and how each answer is reduced to a canonical
// list of strings so that the two answers can be compared for the same information.
//
// tg   = tradegraph (gqlgen, hand-written Cypher), POST http://127.0.0.1:8080/graphql
// peer = @neo4j/graphql 7 + Apollo (this folder),   POST http://127.0.0.1:4000/

// b: every outgoing relationship type the model allows an Actor, as peer fields.
export const ACTOR_OUT = {
  leads: "LEADS",
  memberOf: "MEMBER_OF",
  controls: "CONTROLS",
  participatedIn: "PARTICIPATED_IN",
  issued: "ISSUED",
  confirmed: "CONFIRMED",
  mustApprove: "MUST_APPROVE",
  endorsed: "ENDORSED",
  proposed: "PROPOSED",
  respondedTo: "RESPONDED_TO",
  concernedAbout: "CONCERNED_ABOUT",
  imposes: "IMPOSES",
  ruledOn: "RULED_ON",
  stayed: "STAYED",
};

const sorted = (xs) => [...xs].sort();

export const WORKLOADS = [
  {
    key: "a",
    title: "entity by id (id, name, kind, type)",
    tg: {
      query: `query BenchA($id: ID!) { entity(id: $id) { id name kind type } }`,
      variables: { id: "actor:china" },
    },
    peer: {
      query: `query BenchA($id: ID!) { actors(where: {id: {eq: $id}}) { id name kind type } }`,
      variables: { id: "actor:china" },
    },
    canonTg: (d) => (d.entity ? [`${d.entity.id}|${d.entity.name}|${d.entity.kind.toLowerCase()}|${d.entity.type}`] : []),
    canonPeer: (d) => d.actors.map((e) => `${e.id}|${e.name}|${e.kind.toLowerCase()}|${e.type}`),
  },
  {
    key: "b",
    title: "hub's outgoing relationships (type, target, evidence quotes)",
    tg: {
      query: `query BenchB($id: ID!) { entity(id: $id) { id name
        relationships(direction: OUT) { edges { node { type to { id name } evidence { quote } } } } } }`,
      variables: { id: "actor:china" },
    },
    peer: {
      query: `query BenchB($id: ID!) { actors(where: {id: {eq: $id}}) { id name ${Object.keys(ACTOR_OUT)
        .map((f) => `${f}Connection { edges { properties { evidenceQuotes } node { id name } } }`)
        .join(" ")} } }`,
      variables: { id: "actor:china" },
    },
    canonTg: (d) =>
      sorted(
        d.entity.relationships.edges.map(
          ({ node: r }) => `${r.type}|${r.to.id}|${r.to.name}|${r.evidence.map((e) => e.quote).join("§")}`,
        ),
      ),
    canonPeer: (d) =>
      sorted(
        d.actors.flatMap((a) =>
          Object.entries(ACTOR_OUT).flatMap(([f, type]) =>
            a[`${f}Connection`].edges.map(
              (e) => `${type}|${e.node.id}|${e.node.name}|${(e.properties.evidenceQuotes || []).join("§")}`,
            ),
          ),
        ),
      ),
  },
  {
    key: "c",
    title: "list page: first 20 policies by name + commodities they restrict",
    tg: {
      query: `query BenchC { policies(first: 20) { edges { node { id name
        relationships(types: [RESTRICTS], direction: OUT) { edges { node { to { id name } } } } } } } }`,
      variables: {},
    },
    peer: {
      query: `query BenchC { policies(limit: 20, sort: [{name: ASC}]) { id name restricts { id name } } }`,
      variables: {},
    },
    // order of the page matters: keep it
    canonTg: (d) =>
      d.policies.edges.map(
        ({ node: p }) =>
          `${p.id}|${p.name}|${sorted(p.relationships.edges.map((e) => `${e.node.to.id}:${e.node.to.name}`)).join(",")}`,
      ),
    canonPeer: (d) =>
      d.policies.map((p) => `${p.id}|${p.name}|${sorted(p.restricts.map((c) => `${c.id}:${c.name}`)).join(",")}`),
  },
  {
    key: "c2",
    title: "c, peer as a Relay connection (policiesConnection)",
    tg: null, // same as c
    peer: {
      query: `query BenchC2 { policiesConnection(first: 20, sort: [{name: ASC}]) { edges { node { id name restricts { id name } } } } }`,
      variables: {},
    },
    canonPeer: (d) =>
      d.policiesConnection.edges.map(
        ({ node: p }) => `${p.id}|${p.name}|${sorted(p.restricts.map((c) => `${c.id}:${c.name}`)).join(",")}`,
      ),
  },
  {
    key: "d",
    title: "two hops: actor -> meetings -> other participants",
    tg: {
      query: `query BenchD($id: ID!) { entity(id: $id) { id name
        relationships(types: [PARTICIPATED_IN], direction: OUT) { edges { node { to { id name
          ... on Meeting { relationships(types: [PARTICIPATED_IN], direction: IN) { edges { node { from { id name } } } } } } } } } } }`,
      variables: { id: "actor:donald-trump" },
    },
    peer: {
      query: `query BenchD($id: ID!) { actors(where: {id: {eq: $id}}) { id name participatedIn { id name participants { id name } } } }`,
      variables: { id: "actor:donald-trump" },
    },
    canonTg: (d) =>
      sorted(
        d.entity.relationships.edges.map(({ node: { to: m } }) => {
          const others = m.relationships.edges.map((e) => e.node.from.id).filter((id) => id !== d.entity.id);
          return `${m.id}|${m.name}|${sorted(others).join(",")}`;
        }),
      ),
    canonPeer: (d) =>
      sorted(
        d.actors.flatMap((a) =>
          a.participatedIn.map((m) => {
            const others = m.participants.map((p) => p.id).filter((id) => id !== a.id);
            return `${m.id}|${m.name}|${sorted(others).join(",")}`;
          }),
        ),
      ),
  },
  {
    key: "e",
    title: "search 'lutnick': tg full-text search vs peer name contains (as briefed)",
    tg: {
      query: `query BenchE($text: String!) { search(text: $text) { entity { id name kind } } }`,
      variables: { text: "lutnick" },
    },
    peer: {
      query: `query BenchE($text: String!) { entities(where: {name: {contains: $text}}, limit: 10) { id name kind } }`,
      variables: { text: "Lutnick" },
    },
    canonTg: (d) => sorted(d.search.map((h) => `${h.entity.id}|${h.entity.name}`)),
    canonPeer: (d) => sorted(d.entities.map((e) => `${e.id}|${e.name}`)),
  },
  {
    key: "e2",
    title: "search 'lutnick': peer name|aliasText|description, case-insensitive (same answer set)",
    tg: null, // same as e
    peer: {
      query: `query BenchE2($text: String!) { entities(where: {OR: [
        {name: {caseInsensitive: {contains: $text}}},
        {aliasText: {caseInsensitive: {contains: $text}}},
        {description: {caseInsensitive: {contains: $text}}}]}, limit: 10) { id name kind } }`,
      variables: { text: "lutnick" },
    },
    canonPeer: (d) => sorted(d.entities.map((e) => `${e.id}|${e.name}`)),
  },
  // Two shapes of tradegraph's own, beyond the five of the performance issue.
  {
    key: "f",
    title: "documents page: first 20 documents by id (id, title, date), no text",
    tg: {
      query: `query BenchF { documents(first: 20) { edges { node { id title date { text } } } } }`,
      variables: {},
    },
    peer: {
      query: `query BenchF { documents(limit: 20, sort: [{id: ASC}]) { id title date } }`,
      variables: {},
    },
    canonTg: (d) => d.documents.edges.map(({ node: x }) => `${x.id}|${x.title}|${x.date?.text ?? ""}`),
    canonPeer: (d) => d.documents.map((x) => `${x.id}|${x.title}|${x.date ?? ""}`),
  },
  {
    key: "g",
    title: "incoming: the policies restricting a commodity, with confidence and quotes",
    tg: {
      query: `query BenchG($id: ID!) { entity(id: $id) { id name
        relationships(types: [RESTRICTS], direction: IN) { edges { node { from { id name } confidence evidence { quote } } } } } }`,
      variables: { id: "commodity:rare-earth-minerals" },
    },
    peer: {
      query: `query BenchG($id: ID!) { commodities(where: {id: {eq: $id}}) { id name
        restrictedByConnection { edges { properties { confidence evidenceQuotes } node { id name } } } } }`,
      variables: { id: "commodity:rare-earth-minerals" },
    },
    canonTg: (d) =>
      sorted(
        d.entity.relationships.edges.map(
          ({ node: r }) => `${r.from.id}|${r.from.name}|${r.confidence}|${r.evidence.map((e) => e.quote).join("§")}`,
        ),
      ),
    canonPeer: (d) =>
      sorted(
        d.commodities.flatMap((c) =>
          c.restrictedByConnection.edges.map(
            (e) => `${e.node.id}|${e.node.name}|${e.properties.confidence}|${(e.properties.evidenceQuotes || []).join("§")}`,
          ),
        ),
      ),
  },
  // The floor: a request both servers answer without Neo4j, so that a shape's time
  // can be split into the client and HTTP (this), the server's own work and Neo4j's.
  {
    key: "z",
    title: "floor: { __typename }, answered without Neo4j",
    tg: { query: `query BenchZ { __typename }`, variables: {} },
    peer: { query: `query BenchZ { __typename }`, variables: {} },
    canonTg: (d) => [d.__typename],
    canonPeer: (d) => [d.__typename],
  },
];

// Variants without their own tg query reuse the tg side of the workload they vary.
for (const w of WORKLOADS) {
  if (w.tg === null) {
    const base = WORKLOADS.find((x) => x.key === w.key.replace(/\d+$/, ""));
    w.tg = base.tg;
    w.canonTg = base.canonTg;
  }
}

export function byKeys(keys) {
  if (!keys || keys.length === 0) return WORKLOADS;
  return keys.map((k) => {
    const w = WORKLOADS.find((x) => x.key === k);
    if (!w) throw new Error(`unknown workload ${k}; have ${WORKLOADS.map((x) => x.key).join(",")}`);
    return w;
  });
}
