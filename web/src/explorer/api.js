// The explorer's GraphQL operations; gql (../graphql.js) posts them, one per question.

export { GraphQLError, errorText, gql } from '../graphql.js';

const EVIDENCE = `evidence { sentence quote sentenceText document { id title } }`;
const VALIDITY = `validFrom { text first last } validTo { text first last } dates { from { text } to { text } source knownFrom { text } }`;
const PROVENANCE = `provenance { source firstSeen lastSeen by }`;

export const SEARCH = `query Search($text: String!) {
  search(text: $text, first: 8) { score entity { id name kind type description } }
}`;

// One hop at a time: up to $limit relationships of each type, so the node cap is
// set above what that can reach (25 types x 50 + the centre), for the per-type
// "N more" counts to stay the only limit the explorer shows.
// The time window goes to the API: $during (valid time) and $known (knowledge time).
export const NEIGHBORHOOD = `query Neighbourhood($id: ID!, $limit: Int!, $during: DateRange, $known: PartialDateInput) {
  neighborhood(id: $id, depth: 1, limitPerType: $limit, maxNodes: 2000, during: $during, knownAsOf: $known) {
    center { id }
    nodes { id name kind type }
    edges { id type verb from { id } to { id } confidence note attributedTo { id name } ${EVIDENCE} ${VALIDITY} }
    truncated { nodeId type omitted }
  }
}`;

// $statusOn is the last date of the valid window: a policy's card gives its status then.
export const ENTITY = `query Entity($id: ID!, $during: DateRange, $known: PartialDateInput, $statusOn: PartialDateInput) {
  entity(id: $id) {
    id name kind type aliases description
    ... on Actor { role }
    ... on Meeting { start { text } end { text } place }
    ... on Commodity { category uses }
    ... on Policy {
      status rate unit statusOn: status(asOf: $statusOn)
      announced { text } inForce { text } suspended { text } ended { text }
      statusHistory { date { text } status }
    }
    relationships(first: 100, during: $during, knownAsOf: $known) {
      totalCount undatedCount
      edges { node {
        id type verb confidence note
        from { id name kind } to { id name kind }
        attributedTo { id name }
        ${EVIDENCE} ${VALIDITY}
      } }
    }
    mentions(first: 50) { document { id title } sentences }
  }
}`;

export const PATHS = `query Paths($from: String!, $to: String!, $during: DateRange, $known: PartialDateInput) {
  paths(from: $from, to: $to, maxLength: 4, first: 5, during: $during, knownAsOf: $known) {
    from { id name kind type }
    to { id name kind type }
    paths {
      rank length explanation confidence
      nodes { id name kind type }
      hops { forward relationship {
        id type verb confidence note attributedTo { id name } from { id name } to { id name } ${VALIDITY}
        evidence { sentence quote sentenceText document { id title sentences { number text } } }
      } }
    }
  }
}`;

export const DOCUMENT = `query Document($id: ID!) {
  document(id: $id) { id title publisher date { text } url sentences { number text } }
}`;

export const NAMES = `query Names($id: ID!) { entity(id: $id) { id name kind type } }`;

export const RELATIONSHIP = `query Relationship($id: ID!) {
  relationship(id: $id) {
    id type verb confidence note
    from { id name kind } to { id name kind }
    attributedTo { id name }
    ${VALIDITY}
    evidence { sentence quote sentenceText document { id title publisher date { text } sentences { number text } } }
  }
}`;

// Few fields a change: the API's complexity limit counts each of them per item.
const CHANGED = `id verb from { id name } to { id name } dates { from { text } to { text } source knownFrom { text } }
  evidence { sentence quote document { id title date { text } } }`;

/** CHANGES_FIRST is the most items of each list of changes asked for: more exceeds the complexity limit. */
export const CHANGES_FIRST = 15;

/** CHANGES asks what changed around an entity between two dates (Query.changes). */
export const CHANGES = `query Changes($id: ID!, $from: PartialDateInput!, $to: PartialDateInput!) {
  changes(id: $id, from: $from, to: $to, first: ${CHANGES_FIRST}) {
    started { ${CHANGED} }
    ended { ${CHANGED} }
    reported { ${CHANGED} }
    policies { policy { id name } date { text } what status }
  }
}`;

// Provenance and per-field sources come in requests of their own, after the card or
// the paths they belong to: their statement is slow to plan on a fresh Neo4j, and the
// card and the paths must not wait for it (or fail with it).

/** ENTITY_SOURCES asks which sources assert an entity, and which gave which value. */
export const ENTITY_SOURCES = `query EntitySources($id: ID!) {
  entity(id: $id) { id ${PROVENANCE} fieldSources { field conflict values { value sources } } }
}`;

/** relationshipSources builds the query of the provenance of relationships ids, one alias each, and its variables. */
export function relationshipSources(ids) {
  const vars = {};
  const defs = [];
  const fields = [];
  ids.forEach((id, i) => {
    vars[`r${i}`] = id;
    defs.push(`$r${i}: ID!`);
    fields.push(`r${i}: relationship(id: $r${i}) { id ${PROVENANCE} }`);
  });
  return { query: `query RelationshipSources(${defs.join(', ')}) {\n  ${fields.join('\n  ')}\n}`, variables: vars };
}
