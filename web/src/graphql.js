// The console's one GraphQL call: a POST to /graphql relative to the page (so the
// console also works behind a path prefix), used by the explorer and the review page.

const endpoint = new URL('graphql', document.baseURI).href;

/**
 * GraphQLError carries the messages of a failed request, with the server's request
 * id (X-Request-Id, or extensions.requestId) when it gave one, for a bug report, the
 * HTTP status and the first error's extensions.code.
 */
export class GraphQLError extends Error {
  constructor(message, { requestId = '', status = 0, code = '' } = {}) {
    super(message);
    this.requestId = requestId;
    this.status = status;
    this.code = code;
  }
}

/** errorText is what the console shows for a failure: the message and the request id. */
export function errorText(e) {
  return e.requestId ? `${e.message} (request id ${e.requestId})` : e.message;
}

/**
 * gql posts one operation and returns its data, or throws GraphQLError. signal
 * aborts it (the AbortError is rethrown as is); token, when set, is sent as the
 * editor's bearer token (mutations need it).
 */
export async function gql(query, variables = {}, { signal, token = '' } = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new GraphQLError(`cannot reach the server: ${e.message}`);
  }
  const requestId = res.headers.get('X-Request-Id') || '';
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    const why = res.status === 413 ? 'the request is larger than the server accepts' : text.slice(0, 200);
    throw new GraphQLError(`the server answered ${res.status}: ${why}`, { requestId, status: res.status });
  }
  if (body.errors?.length) {
    const ext = body.errors[0].extensions || {};
    throw new GraphQLError(body.errors.map((e) => e.message).join('; '), {
      requestId: ext.requestId || requestId,
      status: res.status,
      code: ext.code || '',
    });
  }
  return body.data;
}
