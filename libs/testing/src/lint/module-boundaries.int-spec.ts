import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../infra';

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/**
 * Lints `code` as if it were the given file of the workspace (the real ESLint CLI and flat config, in a
 * child process because the config is an ES module) and returns the boundary-rule messages.
 */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const root = repoRoot();
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', file, '--format', 'json'], {
    cwd: root,
    input: code,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const [result] = JSON.parse(r.stdout || '[]') as { messages: LintMessage[] }[];
  if (!result) throw new Error(`eslint produced no report: ${r.stderr}`);
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries (lint at error level)', () => {
  beforeAll(() => {
    // The boundary rule reads Nx's cached project graph; outside an Nx task it may not exist yet.
    const nxPackage = path.join(repoRoot(), 'node_modules/nx/package.json');
    const nxBin = path.join(path.dirname(nxPackage), (JSON.parse(readFileSync(nxPackage, 'utf8')) as { bin: { nx: string } }).bin.nx);
    const r = spawnSync(process.execPath, [nxBin, 'show', 'projects'], {
      cwd: repoRoot(),
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
      timeout: 120_000,
    });
    // Inside `nx run-many` the graph is already cached and a nested Nx call may refuse to run: only report.
    if (r.status !== 0) console.warn(`[lint-test] nx show projects exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  });

  it('should reject a framework import in the contracts library', async () => {
    const errors = await boundaryErrors('libs/contracts/src/index.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n");
    expect(errors.join('\n')).toMatch(/@nestjs\/common/);
  });

  // runs always (not a skipped test): "depending" is an import between libraries
  it('should reject the domain library depending on an infrastructure library', async () => {
    const errors = await boundaryErrors('libs/domain/src/index.ts', "import { createKafka } from '@onestop/messaging';\nexport const x = createKafka;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  // runs always (not a skipped test): "depending" is an import between libraries
  it('should reject contracts depending on the domain library', async () => {
    const errors = await boundaryErrors('libs/contracts/src/index.ts', "import * as d from '@onestop/domain';\nexport const x = d;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  // runs always (not a skipped test): "depending" is an import between libraries
  it('should accept the domain library depending on contracts', async () => {
    const errors = await boundaryErrors('libs/domain/src/index.ts', "import { DossierStatus } from '@onestop/contracts';\nexport const x = DossierStatus;\n");
    expect(errors).toEqual([]);
  });
});
