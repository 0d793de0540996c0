// The review page's GraphQL operations, one per step; gql (../graphql.js) posts
// them, with the editor's token only on the write.

export { GraphQLError, errorText, gql } from '../graphql.js';

export const DRAFT = `query Draft($in: ArticleInput!) { draftArticle(input: $in) {
  document { id type title date url publisher text sentences }
  entities { id kind type name role status description known }
  relationships { type from to confidence note evidence { sentence quote } }
  mentions { sentence start end entityId adjectival }
  ambiguous alreadyKnown } }`;

export const VOCABULARY = `{ vocabulary { type verb } }`;

export const CHECK = `query Check($d: String!) { checkDataset(dataset: $d) { valid problems { line field message } yaml } }`;

export const WRITE = `mutation Write($d: String!) { writeDataset(dataset: $d) { source created updated unchanged } }`;
