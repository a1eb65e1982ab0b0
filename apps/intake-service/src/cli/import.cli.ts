import '../runtime-aliases';
import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { ConfigValidationException } from '@onestop/config';
import { IntakeModule } from '../app.module';
import { DomainCatalogue } from '../catalogue/domain-catalogue';
import { loadIntakeConfig, type IntakeConfig } from '../config/intake.config';
import { ImportService, type ImportProgress } from '../import/import.service';
import { CliFailure, EXIT_USAGE, checkPostgres, runCli } from './cli-failure';

/**
 * Historical import from the command line:
 *   node dist/.../cli/import.cli.js <file.ndjson> --officer <id> --unit <unitCode> [--admin] [--chunk 500]
 *     [--rejections <out.ndjson> [--rejections-page 1000]]
 * Streams the file (constant memory), prints progress to stderr, the final report as JSON to stdout and
 * exits 0 (2 when lines were rejected, 64 for a usage error — an unknown `--unit` included —, 65 for an empty file, 66 for
 * a file it cannot read, 69 when Postgres cannot be reached, 70 for any other failure, 78 for an invalid configuration;
 * a failure is ONE line on stderr, `--verbose`/`-v` or DEBUG=1 adds the stack; `--help` prints the usage, exit 0). Ctrl-C (SIGINT) or SIGTERM stops after the current
 * chunk and exits 130 / 143 with the report (status RUNNING); running the same command again resumes. A second
 * signal stops at once (the chunk in progress is rolled back).
 * `--rejections` writes EVERY rejected line of the job (the report on stdout lists the first 100) to a file, one
 * `{"line":n,"errors":[{field,message}]}` per line by line number, read from the database a page at a time
 * (`--rejections-page` lines); a file it cannot write exits 73 before importing anything.
 * The events go to the outbox; the service's relay publishes them (this CLI does not start a relay).
 */

/** Exit status of an import stopped by a signal: 128 + the signal number, as a shell reports it. */
const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/** sysexits EX_CONFIG: an environment variable is invalid (nothing was done). */
const EXIT_CONFIG = 78;

const USAGE = `usage: import.cli <file.ndjson> [--officer id] (--unit code | --admin) [--chunk n] [--rejections out.ndjson [--rejections-page n]] [--verbose]
Imports historical dossiers (NDJSON, one per line) into intake's database (DATABASE_URL); progress on stderr, the
report as JSON on stdout.
  --unit code           one-stop unit of the importing officer (a code of the unit directory, e.g. 01.00004): the job's scope
  --admin               import for every unit (scope admin)
  --officer id          importing officer recorded with the events (default import-cli)
  --chunk n             lines per transaction, 1–10000 (default 250)
  --rejections file     write every rejected line of the job to file (NDJSON); --rejections-page n lines read at a time (1–10000, default 1000)
  --verbose, -v         on a failure, print the stack too (also DEBUG=1)
  --help, -h            this text
Exit status: 0 imported, 2 some lines rejected, 64 usage error (nothing done), 65 empty file, 66 unreadable file,
69 Postgres unreachable (check DATABASE_URL), 70 other failure, 73 --rejections file not writable, 78 invalid
configuration, 130/143 stopped by SIGINT/SIGTERM (run again to resume). A failure prints one line on stderr.
`;

async function main(argv: string[], verbose: boolean): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!args.file || args.error) {
    // A usage error touches nothing: no job is recorded for an import that could only reject every line.
    if (args.error) process.stderr.write(`${args.error}\n`);
    process.stderr.write(USAGE.split('\n')[0] + '\n');
    return EXIT_USAGE;
  }
  // The scope's unit must be one of the unit directory (what POST /dossiers checks): a typo would record a job of a
  // scope no officer has, whose every line is refused.
  const catalogue = new DomainCatalogue();
  if (args.unit.trim() !== '' && !catalogue.unitValidity(args.unit)) {
    process.stderr.write(`--unit ${args.unit} is not a one-stop unit of the unit directory (@onestop/domain), e.g. 01.00004, 01.TTPV: check the code\n`);
    process.stderr.write(USAGE.split('\n')[0] + '\n');
    return EXIT_USAGE;
  }
  const unreadable = await access(args.file, constants.R_OK).then(
    async () => ((await stat(args.file as string)).isFile() ? undefined : 'not a file'),
    (err: NodeJS.ErrnoException) => err.code ?? String(err),
  );
  if (unreadable) {
    process.stderr.write(`cannot read ${args.file}: ${unreadable}\n`);
    return 66;
  }
  const sha = await sha256(args.file);
  const total = await countLines(args.file);
  if (total === 0) {
    process.stderr.write(`nothing to import: ${args.file} is empty\n`);
    return 65;
  }
  if (args.rejectionsFile !== undefined) {
    // never truncate the file being imported (same path, a link to it)
    const input = await stat(args.file);
    const target = await stat(args.rejectionsFile).catch(() => undefined);
    if (target && target.dev === input.dev && target.ino === input.ino) {
      process.stderr.write(`--rejections ${args.rejectionsFile} is the file being imported: name another file\n`);
      return EXIT_USAGE;
    }
  }
  let config: IntakeConfig;
  try {
    const loaded = loadIntakeConfig();
    config = { ...loaded, relay: { ...loaded.relay, enabled: false } };
  } catch (err) {
    if (err instanceof ConfigValidationException) throw new CliFailure(`invalid configuration: ${err.problems.join('; ')}`, err, EXIT_CONFIG);
    throw err;
  }
  // One line naming DATABASE_URL for a missing database, a wrong port or refused credentials (exit 69), not Nest's
  // coloured stack; checked before any job is recorded (and before --rejections truncates its file).
  await checkPostgres(config.database.url);
  // Opened (truncated) before the import: a file that cannot be written stops the CLI before any work (exit 73).
  let rejectionsOut: FileHandle | undefined;
  if (args.rejectionsFile !== undefined) {
    try {
      rejectionsOut = await open(args.rejectionsFile, 'w');
    } catch (err) {
      process.stderr.write(`cannot write the rejections to ${args.rejectionsFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
      return 73;
    }
  }
  // Nest would log a failing start (migrations, …) as a stack at level error: the failure line says it, --verbose adds the stack.
  const app = await NestFactory.createApplicationContext(IntakeModule.forRoot(config, { catalogue }), {
    logger: verbose ? ['error', 'warn'] : ['warn'],
    abortOnError: false,
  }).catch(async (err: unknown) => {
    await rejectionsOut?.close();
    throw err;
  });
  const controller = new AbortController();
  let interrupted: keyof typeof SIGNAL_EXIT | undefined;
  const onSignal = (signal: keyof typeof SIGNAL_EXIT): void => {
    interrupted = signal;
    process.stderr.write(`\n${signal}: stopping after the current chunk (signal again to stop at once)\n`);
    controller.abort();
    // The next signal gets Node's default action: the process ends and the open chunk's transaction rolls back.
    process.off('SIGINT', onSigint).off('SIGTERM', onSigterm);
  };
  const onSigint = (): void => onSignal('SIGINT');
  const onSigterm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onSigint).on('SIGTERM', onSigterm);
  try {
    const started = Date.now();
    const progress = (p: ImportProgress) => {
      const pct = total > 0 ? ((100 * p.line) / total).toFixed(1) : '?';
      const rate = Math.round(p.line / Math.max(0.001, (Date.now() - started) / 1000));
      process.stderr.write(`\rline ${p.line}/${total} (${pct}%)  imported ${p.imported}  duplicates ${p.duplicates}  rejected ${p.rejected}  ${rate} lines/s   `);
    };
    const report = await app.get(ImportService).run(readLines(args.file), {
      fileSha256: sha,
      fileName: path.basename(args.file),
      officer: { officerId: args.officer, unitId: args.unit, roles: args.admin ? ['admin'] : ['officer'] },
      chunkSize: args.chunk,
      onProgress: progress,
      signal: controller.signal,
    });
    process.stderr.write('\n');
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    if (rejectionsOut) {
      try {
        const n = await writeRejections(app.get(ImportService), report.jobId, rejectionsOut, args.rejectionsPage);
        process.stderr.write(`${n} rejected line(s) written to ${args.rejectionsFile}\n`);
      } catch (err) {
        process.stderr.write(`cannot write the rejections to ${args.rejectionsFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
        return 73;
      }
    }
    if (interrupted && report.status !== 'COMPLETED') {
      process.stderr.write(
        `interrupted (${interrupted}) at line ${report.line}/${total}: ${report.imported} imported, ${report.duplicates} duplicates, ${report.rejected} rejected so far; ` +
          `run the same command again to resume at line ${report.nextLine} (job ${report.jobId})\n`,
      );
      return SIGNAL_EXIT[interrupted];
    }
    return report.rejected > 0 ? 2 : 0;
  } finally {
    await rejectionsOut?.close();
    await app.close();
  }
}

/** Largest chunk (lines per transaction) the CLI accepts. */
const MAX_CHUNK = 10_000;
/** Largest page of rejected lines read at once for `--rejections`. */
const MAX_REJECTIONS_PAGE = 10_000;

/** Writes every rejected line of the job to `out` (NDJSON, by line number), `pageSize` lines per query; returns how many. */
async function writeRejections(imports: ImportService, jobId: string, out: FileHandle, pageSize: number): Promise<number> {
  let written = 0;
  let after = 0;
  for (;;) {
    const page = await imports.rejectionsAfter(jobId, after, pageSize);
    if (page.length === 0) break;
    await out.write(page.map((r) => JSON.stringify({ line: r.line, errors: r.errors }) + '\n').join(''));
    written += page.length;
    after = (page[page.length - 1] as { line: number }).line;
  }
  return written;
}

function parseArgs(argv: string[]): {
  help?: boolean;
  file?: string;
  officer: string;
  unit: string;
  admin: boolean;
  chunk: number;
  rejectionsFile?: string;
  rejectionsPage: number;
  error?: string;
} {
  const out = { file: undefined as string | undefined, officer: 'import-cli', unit: '', admin: false, chunk: 250, rejectionsFile: undefined as string | undefined, rejectionsPage: 1000 };
  const problems: string[] = [];
  if (argv.includes('--help') || argv.includes('-h')) return { ...out, help: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--officer') out.officer = argv[++i] ?? '';
    else if (a === '--unit') out.unit = argv[++i] ?? '';
    else if (a === '--admin') out.admin = true;
    else if (a === '--chunk') {
      const v = argv[++i];
      out.chunk = Number(v);
      if (!/^\d+$/.test(v ?? '') || out.chunk < 1 || out.chunk > MAX_CHUNK) problems.push(`--chunk must be a whole number of lines from 1 to ${MAX_CHUNK}, got ${v ?? 'nothing'}`);
    } else if (a === '--rejections') {
      out.rejectionsFile = argv[++i];
      if (!out.rejectionsFile || out.rejectionsFile.startsWith('--')) problems.push('--rejections needs the file to write the rejected lines to');
    } else if (a === '--rejections-page') {
      const v = argv[++i];
      out.rejectionsPage = Number(v);
      if (!/^\d+$/.test(v ?? '') || out.rejectionsPage < 1 || out.rejectionsPage > MAX_REJECTIONS_PAGE) {
        problems.push(`--rejections-page must be a whole number of lines from 1 to ${MAX_REJECTIONS_PAGE}, got ${v ?? 'nothing'}`);
      }
    } else if (a.startsWith('--')) problems.push(`unknown option ${a}`);
    else if (out.file !== undefined) problems.push(`one file per import, got ${out.file} and ${a}`);
    else out.file = a;
  }
  if (out.officer.trim() === '') problems.push('--officer needs the importing officer id');
  // The job's scope (ADR 0205) is the officer's unit, or admin: without either every line would be refused.
  if (!out.admin && out.unit.trim() === '') problems.push('--unit <one-stop unit code of the officer> is required (or --admin to import for every unit)');
  return problems.length > 0 ? { ...out, error: problems.join('\n') } : out;
}

/**
 * The file's lines as the API splits a body (`splitNdjsonLines`): `\n` or `\r\n` ends a line, a final line ending
 * makes no line. Not `readline`: it also ends a line at a lone `\r`, which JSON allows as whitespace inside a line,
 * so a valid line was cut in two and rejected by the CLI but imported by the API (and `totalLines` differed).
 */
async function* readLines(file: string): AsyncGenerator<string> {
  const strip = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      yield strip(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') yield rest;
}

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  let last = 10;
  for await (const chunk of createReadStream(file)) {
    const b = chunk as Buffer;
    for (let i = 0; i < b.length; i++) if (b[i] === 10) n++;
    if (b.length > 0) last = b[b.length - 1] as number;
  }
  return last === 10 ? n : n + 1;
}

runCli('import.cli', main);
