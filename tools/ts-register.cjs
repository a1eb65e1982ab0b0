// Runs the TypeScript sources directly (development, `npm start`, child processes in tests):
//   node -r ./tools/ts-register.cjs apps/intake-service/src/main.ts
// SWC transpiles each .ts file on load (with decorator metadata for NestJS, same .swcrc as Jest) and the
// @onestop/* aliases resolve to libs/<name>/src/index.ts. Type checking stays with `nx run-many -t typecheck`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^@onestop\/([a-z-]+)$/.exec(request);
  if (m) return path.join(root, 'libs', m[1], 'src', 'index.ts');
  return resolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const src = fs.readFileSync(filename, 'utf8');
  const out = transformSync(src, { ...swcrc, swcrc: false, filename, sourceMaps: 'inline' });
  module._compile(out.code, filename);
};
process.setSourceMapsEnabled?.(true);
