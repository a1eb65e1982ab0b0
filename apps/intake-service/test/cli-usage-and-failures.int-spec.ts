import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@onestop/testing';
import { verifyToken } from '@onestop/http';
import { runImportCli } from './support/import-cli';
import { JWT, useIntakeSuite } from './support/harness';
import { FIX } from './support/fixtures';

/** Runs a CLI of src/cli through the repo's SWC register hook with `env` added. */
function runCli(cli: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const root = repoRoot();
    const child = spawn(process.execPath, ['-r', path.join(root, 'tools/ts-register.cjs'), path.join(root, 'apps/intake-service/src/cli', cli), ...args], {
      cwd: root,
      env: { ...process.env, DEBUG: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('intake CLIs: usage, unit checks and failures in one line (real Postgres)', () => {
  const s = useIntakeSuite('intake_cli_usage');
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'intake-cli-'));
    file = path.join(dir, 'one.ndjson');
    await writeFile(file, '{"code":"x"}\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const missingDb = () => s.infra.db.url.replace(/\/[^/]+$/, '/intake_cli_no_such_db');

  describe('import.cli', () => {
    it('should say in one line that the database is missing, naming DATABASE_URL, and exit 69 (nothing imported)', async () => {
      const r = await runImportCli(file, ['--unit', FIX.unit], { ...s.infra.env, DATABASE_URL: missingDb(), DEBUG: '' });
      expect(r.code).toBe(69);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^import\.cli: cannot connect to Postgres at .*\/intake_cli_no_such_db \(database "intake_cli_no_such_db" does not exist\): check DATABASE_URL/);
      expect(r.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
      expect(r.stderr).not.toContain(String.fromCharCode(27)); // no colour escapes
    });

    it('should add the stack with --verbose (and DEBUG=1)', async () => {
      for (const extra of [{ args: ['--verbose'], env: {} }, { args: [], env: { DEBUG: '1' } }]) {
        const r = await runImportCli(file, ['--unit', FIX.unit, ...extra.args], { ...s.infra.env, DATABASE_URL: missingDb(), DEBUG: '', ...extra.env });
        expect(r.code).toBe(69);
        expect(r.stderr).toMatch(/\n\s+at /);
        expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(/^import\.cli: cannot connect to Postgres/);
      }
    });

    it('should refuse a --unit outside the unit directory as a usage error (64) and record no job', async () => {
      const r = await runImportCli(file, ['--unit', '01.99999'], s.infra.env);
      expect(r.code).toBe(64);
      expect(r.stderr).toContain('--unit 01.99999 is not a one-stop unit of the unit directory');
      expect(await s.count('import_job')).toBe(0);
      expect(await s.count('dossier')).toBe(0);
    });

    it('should print the usage on stdout and exit 0 for --help and -h, whatever else is on the line', async () => {
      for (const args of [['--help'], ['-h'], [file, '--help', '--unit', FIX.unit]]) {
        const r = await runImportCli(args[0] as string, args.slice(1), s.infra.env);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^usage: import\.cli <file\.ndjson>/);
        expect(r.stdout).toContain('69 Postgres unreachable');
        expect(r.stderr).toBe('');
      }
      expect(await s.count('import_job')).toBe(0);
    });
  });

  describe('dev-token.cli', () => {
    const strong = { JWT_SECRET: JWT.secret, JWT_ISSUER: JWT.issuer };

    it('should refuse a unit outside the unit directory (64) and print no token', async () => {
      const r = await runCli('dev-token.cli.ts', ['ZZZ.bogus'], strong);
      expect(r.code).toBe(64);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('ZZZ.bogus is not a one-stop unit of the unit directory');
    });

    it('should mint a token for a unit of the directory, with the admin role on --admin, without a warning for a 32-byte secret', async () => {
      const r = await runCli('dev-token.cli.ts', ['01.TTPV', 'can-bo-01', '--admin'], strong);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      const officer = verifyToken({ secret: JWT.secret, issuer: JWT.issuer }, r.stdout.trim());
      expect(officer).toMatchObject({ officerId: 'can-bo-01', unitId: '01.TTPV', roles: ['officer', 'admin'] });
    });

    it('should warn on stderr about a JWT_SECRET shorter than 32 bytes, and still print the token the services accept', async () => {
      const r = await runCli('dev-token.cli.ts', [FIX.unit], { JWT_SECRET: 'short', JWT_ISSUER: JWT.issuer });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^warning: JWT_SECRET is 5 bytes, shorter than 32/);
      expect(verifyToken({ secret: 'short', issuer: JWT.issuer }, r.stdout.trim())).toMatchObject({ unitId: FIX.unit, roles: ['officer'] });
    });
  });
});
