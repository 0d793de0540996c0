// The playground at /playground: the real GraphiQL (docs explorer, history, variables
// and headers editors, prettify) pointed at /graphql, with ready example operations,
// "copy as cURL" and "download schema as SDL".
import './workers.js';
import { createRoot } from 'react-dom/client';
import { useState } from 'react';
import { GraphiQL } from 'graphiql';
import { Dialog, ToolbarButton, useGraphiQL, useGraphiQLActions } from '@graphiql/react';
import { HISTORY_PLUGIN } from '@graphiql/plugin-history';
import { parse, printSchema } from 'graphql';
import 'graphiql/style.css';
import './playground.css';
import { examples } from './examples.js';

// Relative to the page, so the console also works behind a path prefix.
const endpoint = new URL('graphql', document.baseURI).href;

/** fetcher posts one operation as JSON and returns the decoded answer. */
async function fetcher(params, opts) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(opts?.headers || {}) },
    body: JSON.stringify(params),
  });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: `HTTP ${res.status}: ${text.trim()}` }] };
  }
}

/** shellQuote wraps s in single quotes for a POSIX shell. */
export function shellQuote(s) {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** parseJSONObject reads an editor's JSON (empty means none); it throws on bad input. */
function parseJSONObject(text, what) {
  if (!text || !text.trim()) return undefined;
  let v;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} are not valid JSON: ${e.message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what} must be a JSON object`);
  return v;
}

/** curlCommand builds the cURL line that sends the same request as the Run button. */
export function curlCommand({ query, variables, headers, operationName }) {
  const body = { query };
  const vars = parseJSONObject(variables, 'Variables');
  if (vars) body.variables = vars;
  if (operationName) body.operationName = operationName;
  const lines = [`curl ${shellQuote(endpoint)}`, `-H 'Content-Type: application/json'`];
  for (const [k, v] of Object.entries(parseJSONObject(headers, 'Headers') || {})) {
    lines.push(`-H ${shellQuote(`${k}: ${v}`)}`);
  }
  lines.push(`--data-raw ${shellQuote(JSON.stringify(body))}`);
  return lines.join(' \\\n  ');
}

/** download offers text as a file. */
function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function copyText(text, textarea) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Plain http on another host is no secure context: fall back to the selection.
    textarea?.select();
    return document.execCommand?.('copy') ?? false;
  }
}

function CurlButton() {
  const queryEditor = useGraphiQL((s) => s.queryEditor);
  const variableEditor = useGraphiQL((s) => s.variableEditor);
  const headerEditor = useGraphiQL((s) => s.headerEditor);
  const operationName = useGraphiQL((s) => s.operationName);
  const [cmd, setCmd] = useState(null);
  const [status, setStatus] = useState('');
  let area = null;
  const open = async () => {
    let text;
    try {
      text = curlCommand({
        query: queryEditor?.getValue() ?? '',
        variables: variableEditor?.getValue(),
        headers: headerEditor?.getValue(),
        operationName,
      });
    } catch (e) {
      setCmd({ error: e.message });
      return;
    }
    setCmd({ text });
    setStatus((await copyText(text, area)) ? 'Copied to the clipboard.' : 'Select the text and copy it.');
  };
  return (
    <>
      <ToolbarButton label="Copy as cURL" onClick={open} data-testid="copy-curl">
        <span className="tg-toolbar-text" aria-hidden="true">cURL</span>
      </ToolbarButton>
      <Dialog open={cmd !== null} onOpenChange={(o) => !o && (setCmd(null), setStatus(''))}>
        <div className="tg-dialog">
          <Dialog.Title className="tg-dialog-title">Copy as cURL</Dialog.Title>
          <Dialog.Description className="tg-dialog-status" role="status">
            {cmd?.error ? cmd.error : status}
          </Dialog.Description>
          {cmd?.text && (
            <textarea
              ref={(el) => (area = el)}
              className="tg-curl"
              readOnly
              value={cmd.text}
              rows={Math.min(12, cmd.text.split('\n').length + 1)}
              aria-label="cURL command"
              onFocus={(e) => e.target.select()}
            />
          )}
          <Dialog.Close className="tg-dialog-close">Close</Dialog.Close>
        </div>
      </Dialog>
    </>
  );
}

function SdlButton() {
  const schema = useGraphiQL((s) => s.schema);
  return (
    <ToolbarButton
      label={schema ? 'Download schema as SDL' : 'Download schema as SDL (schema not loaded yet)'}
      disabled={!schema}
      onClick={() => download('tradegraph.graphql', 'text/plain', printSchema(schema) + '\n')}
      data-testid="download-sdl"
    >
      <span className="tg-toolbar-text" aria-hidden="true">SDL</span>
    </ToolbarButton>
  );
}

/** operationNameOf is the name of the first operation in a document, or ''. */
function operationNameOf(query) {
  try {
    return parse(query).definitions.find((d) => d.kind === 'OperationDefinition')?.name?.value ?? '';
  } catch {
    return '';
  }
}

function ExamplesPanel() {
  const queryEditor = useGraphiQL((s) => s.queryEditor);
  const variableEditor = useGraphiQL((s) => s.variableEditor);
  const headerEditor = useGraphiQL((s) => s.headerEditor);
  const { updateActiveTabValues, setOperationName } = useGraphiQLActions();
  const open = (ex) => {
    queryEditor?.setValue(ex.query);
    // Set now: GraphiQL reads the operation name from the editor only after a pause,
    // and a Run before that would send the previous operation's name.
    setOperationName(operationNameOf(ex.query));
    variableEditor?.setValue(ex.variables || '');
    if (ex.headers) headerEditor?.setValue(ex.headers);
    updateActiveTabValues({ query: ex.query, variables: ex.variables || '', headers: ex.headers || headerEditor?.getValue() || '' });
    // GraphiQL derives the variables' JSON schema from the query after a pause; check
    // the variables again then, or they keep the marks of the previous operation.
    setTimeout(() => variableEditor?.setValue(variableEditor.getValue()), 500);
  };
  return (
    <section className="tg-examples" aria-label="Example operations">
      <div className="graphiql-doc-explorer-title">Examples</div>
      <p>Opens in the current tab, replacing its editors.</p>
      <ul>
        {examples.map((ex) => (
          <li key={ex.title}>
            <button type="button" className="tg-example" onClick={() => open(ex)} data-example={ex.title}>
              <strong>{ex.title}</strong>
              <span>{ex.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

const examplesPlugin = {
  title: 'Examples',
  icon: () => (
    <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5">
      <path d="M4 5h16M4 12h16M4 19h10" />
    </svg>
  ),
  content: ExamplesPanel,
};

// ?query=...&variables=... opens a shared operation (the explorer links here).
const params = new URLSearchParams(location.search);

// GraphiQL fills the first of defaultTabs without its variables: give them on a first
// visit (no stored tabs), when the first tab is the first example.
function firstVisit() {
  try {
    return localStorage.getItem('graphiql:tabState') === null;
  } catch {
    return true;
  }
}
const initialVariables = params.get('variables') ?? (params.has('query') || !firstVisit() ? undefined : examples[0].variables);

function Playground() {
  return (
    <GraphiQL
      fetcher={fetcher}
      plugins={[HISTORY_PLUGIN, examplesPlugin]}
      defaultTabs={examples.map(({ query, variables, headers }) => ({ query, variables, headers }))}
      initialQuery={params.get('query') ?? undefined}
      initialVariables={initialVariables}
      defaultEditorToolsVisibility
      shouldPersistHeaders={false}
    >
      <GraphiQL.Logo>
        <a href="./" className="tg-logo">
          tradegraph
        </a>{' '}
        playground
      </GraphiQL.Logo>
      <GraphiQL.Toolbar>
        {({ prettify, merge, copy }) => (
          <>
            {prettify}
            {merge}
            {copy}
            <CurlButton />
            <SdlButton />
          </>
        )}
      </GraphiQL.Toolbar>
    </GraphiQL>
  );
}

createRoot(document.getElementById('graphiql')).render(<Playground />);
