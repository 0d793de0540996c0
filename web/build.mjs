// Bundles the console into one output folder (default static/dist) with esbuild.
// The output is deterministic: fixed file names, no hashes, no timestamps, no source
// maps, so check-build.sh can rebuild into a temporary folder and compare byte for byte.
//
//   node build.mjs [OUTDIR]
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = process.argv[2] || 'static/dist';
rmSync(outdir, { recursive: true, force: true });

const common = {
  bundle: true,
  minify: true,
  legalComments: 'eof',
  target: ['chrome110', 'firefox110', 'safari16'],
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  charset: 'utf8',
};

// The pages: explorer (/), playground (/playground) and review (/review). CSS imported from JS lands
// beside each bundle as NAME.css; fonts are copied under their own names.
await esbuild.build({
  ...common,
  entryPoints: { explorer: 'src/explorer/main.jsx', playground: 'src/playground/main.jsx', review: 'src/review/main.jsx' },
  outdir,
  format: 'iife',
  jsx: 'automatic',
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  assetNames: '[name]',
});

// Monaco's web workers, which GraphiQL's editors start by label (see src/playground/workers.js).
await esbuild.build({
  ...common,
  entryPoints: {
    'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
  },
  outdir,
  format: 'iife',
});
