import '../runtime-aliases';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { NestFactory } from '@nestjs/core';
import { IntakeModule } from '../app.module';
import { loadIntakeConfig } from '../config/intake.config';
import { ImportService, type ImportProgress } from '../import/import.service';

/**
 * Historical import from the command line:
 *   node dist/.../cli/import.cli.js <file.ndjson> --officer <id> --unit <unitCode> [--admin] [--chunk 500]
 * Streams the file (constant memory), prints progress to stderr, the final report as JSON to stdout and
 * exits 0 (2 when lines were rejected). Ctrl-C stops after the current chunk; running it again resumes.
 * The events go to the outbox; the service's relay publishes them (this CLI does not start a relay).
 */
async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args.file) {
    process.stderr.write('usage: import.cli <file.ndjson> [--officer id] [--unit code] [--admin] [--chunk n]\n');
    return 64;
  }
  const sha = await sha256(args.file);
  const total = await countLines(args.file);
  const config = { ...loadIntakeConfig(), relay: { ...loadIntakeConfig().relay, enabled: false } };
  const app = await NestFactory.createApplicationContext(IntakeModule.forRoot(config), { logger: ['error', 'warn'] });
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\ninterrupted: finishing the current chunk; run the same command again to resume\n');
    controller.abort();
  });
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
    return report.rejected > 0 ? 2 : 0;
  } finally {
    await app.close();
  }
}

function parseArgs(argv: string[]): { file?: string; officer: string; unit: string; admin: boolean; chunk: number } {
  const out = { file: undefined as string | undefined, officer: 'import-cli', unit: '', admin: false, chunk: 250 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--officer') out.officer = argv[++i] ?? out.officer;
    else if (a === '--unit') out.unit = argv[++i] ?? '';
    else if (a === '--admin') out.admin = true;
    else if (a === '--chunk') out.chunk = Number(argv[++i] ?? 250);
    else out.file = a;
  }
  return out;
}

/** Lazily opened: a readline interface created before the consumer awaits would lose its first lines. */
async function* readLines(file: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) yield line;
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`import failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
