// Tells Monaco (GraphiQL's editor) where its web workers are: bundled beside the
// page's script by build.mjs, never fetched from a CDN. Imported before GraphiQL.
const base = new URL('dist/', document.baseURI);

globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const name = label === 'json' ? 'json' : label === 'graphql' ? 'graphql' : 'editor';
    return new Worker(new URL(`${name}.worker.js`, base));
  },
};
