#!/usr/bin/env node
// Runs every benchmark in turn (each compares the product with its baseline in the same run and prints
// progress): `npm run bench`, or `npm run bench -- statistics` / `-- intake` / `-- contracts` for one. Starts the local Kafka
// broker (deploy/local/kafka.sh) when nothing listens on 127.0.0.1:9092 and stops it afterwards.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const all = {
  intake: ['bench/intake/run.cjs', '--duration', '20', '--warmup', '3', '--concurrency', '32', '--units', '50'],
  statistics: ['bench/statistics/run.cjs', '--events', '50000', '--rate', '2000', '--seconds', '20'],
  // event validation only (no infrastructure): @onestop/contracts vs ajv-formats' date-time on the same schemas
  contracts: ['-r', './apps/statistics-service/test/support/swc-register.cjs', 'bench/contracts/parse.ts', '--events', '60000', '--rounds', '7'],
};
const NO_INFRA = new Set(['contracts']);
const chosen = process.argv.slice(2).filter((a) => all[a]);
const names = chosen.length > 0 ? chosen : Object.keys(all);
let failed = 0;
for (const name of names) {
  process.stderr.write(`\n=== benchmark: ${name} (${all[name].join(' ')}) ===\n`);
  const argv = NO_INFRA.has(name) ? all[name] : [path.join(root, 'libs/testing/bin/with-infra.cjs'), process.execPath, ...all[name]];
  const r = spawnSync(process.execPath, argv, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ONESTOP_NO_TESTCONTAINERS: '1' },
  });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
