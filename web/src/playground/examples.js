// Ready operations for analysts: each opens in the playground with its variables
// (and, for the mutation, the header it needs).

/** @type {{title: string, description: string, query: string, variables?: string, headers?: string}[]} */
export const examples = [
  {
    title: 'Search',
    description: 'Find entities by name, alias or description; tolerant of partial words and typos.',
    query: `# Full-text search: best matches first.
query Search($text: String!, $kinds: [EntityKind!]) {
  search(text: $text, kinds: $kinds, first: 10) {
    score
    entity {
      id
      name
      kind
      type
      description
    }
  }
}
`,
    variables: `{
  "text": "Lutnick"
}
`,
  },
  {
    title: 'Neighbourhood',
    description: 'The subgraph around an entity, with the evidence of each link and what the hub caps left out.',
    query: `# Everything one hop from an entity; truncated says what the caps left out.
query Neighbourhood($id: ID!, $depth: Int = 1, $asOf: PartialDateInput) {
  neighborhood(id: $id, depth: $depth, limitPerType: 10, asOf: $asOf) {
    nodes {
      id
      name
      kind
      type
    }
    edges {
      type
      verb
      from { id }
      to { id }
      evidence {
        quote
        document { title }
      }
    }
    truncated {
      nodeId
      type
      omitted
    }
  }
}
`,
    variables: `{
  "id": "actor:howard-lutnick",
  "depth": 1
}
`,
  },
  {
    title: 'Paths',
    description: 'How is A linked to B? Ranked paths, each hop with its evidence sentence.',
    query: `# How is Howard Lutnick linked to rare earth minerals?
query Paths($from: String!, $to: String!) {
  paths(from: $from, to: $to, maxLength: 4, first: 3) {
    from { id name }
    to { id name }
    paths {
      rank
      length
      confidence
      explanation
      hops {
        forward
        relationship {
          type
          verb
          from { name }
          to { name }
          evidence {
            quote
            sentenceText
            document { title }
          }
        }
      }
    }
  }
}
`,
    variables: `{
  "from": "actor:howard-lutnick",
  "to": "commodity:rare-earth-minerals"
}
`,
  },
  {
    title: 'Timeline',
    description: "An entity's dated relationships and meetings, oldest first.",
    query: `# What happened around China in 2025, oldest first.
query Timeline($entity: ID!, $from: PartialDateInput, $to: PartialDateInput) {
  timeline(entity: $entity, from: $from, to: $to) {
    date { text }
    summary
    meeting { id name place }
    relationship {
      type
      from { name }
      to { name }
    }
  }
}
`,
    variables: `{
  "entity": "actor:china",
  "from": "2025",
  "to": "2025"
}
`,
  },
  {
    title: 'Mutation',
    description: 'Add an entity. Needs the server token (TRADEGRAPH_API_TOKEN) in the Authorization header.',
    query: `# Writes need "Authorization: Bearer <TRADEGRAPH_API_TOKEN>" in the headers below.
mutation AddActor($input: EntityInput!) {
  upsertEntity(input: $input) {
    id
    name
    kind
    description
  }
}
`,
    variables: `{
  "input": {
    "id": "actor:example-analyst",
    "kind": "ACTOR",
    "type": "PERSON",
    "name": "Example Analyst",
    "description": "Added from the playground."
  }
}
`,
    headers: `{
  "Authorization": "Bearer REPLACE-WITH-TRADEGRAPH_API_TOKEN"
}
`,
  },
];
