#!/usr/bin/env node
// Sums Jest's --json reports (one per Nx project) and prints the one plain line CI reads: "N passed, N failed".
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2] ?? 'reports/jest';
let passed = 0;
let failed = 0;
let suitesFailed = 0;
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
for (const f of files) {
  const r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A suite that failed to run (syntax error, global setup) has no failed test but must fail CI.
  suitesFailed += r.numRuntimeErrorTestSuites ?? 0;
  process.stdout.write(`  ${f.replace(/\.json$/, '')}: ${r.numPassedTests} passed, ${r.numFailedTests} failed` +
    `${r.numRuntimeErrorTestSuites ? `, ${r.numRuntimeErrorTestSuites} suites did not run` : ''}\n`);
}
if (files.length === 0) process.stdout.write('  no Jest reports found\n');
process.stdout.write(`${passed} passed, ${failed + suitesFailed} failed\n`);
process.exit(failed + suitesFailed > 0 || files.length === 0 ? 1 : 0);
