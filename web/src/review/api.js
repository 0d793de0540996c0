// The review page's GraphQL calls: one POST per step to /graphql, relative to the
// page, with the editor's token only on the write.

const endpoint = new URL('graphql', document.baseURI).href;

/** ReviewError is a failed call: the message, its code and the server's request id. */
export class ReviewError extends Error {
  constructor(message, { requestId = '', code = '' } = {}) {
    super(message);
    this.requestId = requestId;
    this.code = code;
  }
}

/** call posts one operation and returns its data, or throws ReviewError. */
export async function call(query, variables, token = '') {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch (e) {
    throw new ReviewError(`cannot reach the server: ${e.message}`);
  }
  const requestId = res.headers.get('X-Request-Id') || '';
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    const why = res.status === 413 ? 'the request is larger than the server accepts' : text.slice(0, 200);
    throw new ReviewError(`the server answered ${res.status}: ${why}`, { requestId });
  }
  if (body.errors?.length) {
    const ext = body.errors[0].extensions || {};
    throw new ReviewError(body.errors.map((e) => e.message).join('; '), { requestId: ext.requestId || requestId, code: ext.code || '' });
  }
  return body.data;
}

export const DRAFT = `query Draft($in: ArticleInput!) { draftArticle(input: $in) {
  document { id type title date url publisher text sentences }
  entities { id kind type name role status description known }
  relationships { type from to confidence note evidence { sentence quote } }
  mentions { sentence start end entityId adjectival }
  ambiguous alreadyKnown } }`;

export const VOCABULARY = `{ vocabulary { type verb } }`;

export const CHECK = `query Check($d: String!) { checkDataset(dataset: $d) { valid problems { line field message } yaml } }`;

export const WRITE = `mutation Write($d: String!) { writeDataset(dataset: $d) { source created updated unchanged } }`;
