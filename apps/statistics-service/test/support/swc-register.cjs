// Runs the service's TypeScript in a plain `node` process (child-process fault tests, CLIs, bench)
// without a build: @swc/core transpiles each .ts file on require (same options as Jest, from .swcrc),
// and @onestop/<lib> resolves to libs/<lib>/src/index.ts like the tsconfig paths do.
// Usage: node -r ./apps/statistics-service/test/support/swc-register.cjs apps/statistics-service/src/main.ts
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

let root = __dirname;
while (!fs.existsSync(path.join(root, 'nx.json'))) root = path.dirname(root);
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;
swcrc.sourceMaps = 'inline';

const origResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  const m = /^@onestop\/([a-z-]+)$/.exec(request);
  if (m) return path.join(root, 'libs', m[1], 'src', 'index.ts');
  return origResolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function compile(module, filename) {
  const src = fs.readFileSync(filename, 'utf8');
  const out = transformSync(src, { ...swcrc, filename, swcrc: false, configFile: false });
  module._compile(out.code, filename);
};
process.setSourceMapsEnabled?.(true);
