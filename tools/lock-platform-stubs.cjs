#!/usr/bin/env node
// The npm registry reachable from the project's machines does not serve every platform build of packages
// with per-platform optional dependencies (@swc/core-*, @unrs/resolver-binding-*). `npm install` then
// writes a lock without those entries and `npm ci` rejects it ("Missing: ... from lock file").
// This script adds a lock entry for each missing optional platform package, marked optional with the
// os/cpu of its name, so `npm ci` validates and skips it on any other platform. Run after `npm install`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.resolve(process.argv[2] ?? 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const pkgs = lock.packages;
const CPU = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', wasm32: 'wasm32' };
const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'wasm32'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU[p]);
  if (!os || !cpu) return null;
  return os === 'wasm32' ? { cpu: ['wasm32'] } : { os: [os], cpu: [CPU[cpu]] };
}

let added = 0;
for (const [loc, meta] of Object.entries(pkgs)) {
  for (const [dep, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = loc === '' ? '' : `${loc}/`;
    const candidates = [`${base}node_modules/${dep}`, `node_modules/${dep}`];
    if (candidates.some((c) => pkgs[c])) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    pkgs[`node_modules/${dep}`] = { version: String(spec).replace(/^[\^~=]/, ''), optional: true, ...platform };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`lock-platform-stubs: added ${added} optional platform entries to ${path.relative(process.cwd(), lockPath)}\n`);
