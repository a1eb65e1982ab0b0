import { Client } from 'pg';

/**
 * How the services' command-line tools fail: ONE line on stderr naming what failed and what to check (a setting),
 * a documented exit status, the stack only with `--verbose` / `-v` or DEBUG=1. Each CLI's `runCli` prints the line.
 */

/** A failure the CLI explains in one line (`line`); `cause` is printed only when verbose; `exitCode` if not the CLI's default. */
export class CliFailure extends Error {
  constructor(
    readonly line: string,
    override readonly cause?: unknown,
    readonly exitCode?: number,
  ) {
    super(line);
  }
}

/** `--verbose` / `-v` on the command line or DEBUG=1 (or true) in the environment; `args` without them. */
export function splitVerbose(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { verbose: boolean; args: string[] } {
  const args = argv.filter((a) => a !== '--verbose' && a !== '-v');
  const debug = (env['DEBUG'] ?? '').trim().toLowerCase();
  return { verbose: args.length !== argv.length || debug === '1' || debug === 'true', args };
}

/** `host:port/database` of a Postgres URL, without user or password. */
export function postgresTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || '127.0.0.1'}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

/** The first line of an error's message (of its first cause for an AggregateError), else its code. */
export function reasonOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return reasonOf(err.errors[0]);
  const e = err as { code?: string; message?: string } | null;
  const msg = (e?.message ?? String(err)).split('\n')[0]!.trim();
  if (msg) return msg;
  return e?.code ?? 'unknown error';
}

/**
 * Connects once to the database of `url` (5 s at most) so that a missing database, a wrong port or refused
 * credentials end the CLI with one line instead of a driver / TypeORM / Nest stack.
 */
export async function checkPostgres(url: string, exitCode?: number): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new CliFailure(`cannot connect to Postgres at ${postgresTarget(url)} (${reasonOf(err)}): check DATABASE_URL and that Postgres runs`, err, exitCode);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The one summary line of a failure (without the CLI's name). */
export function failureLine(err: unknown): string {
  if (err instanceof CliFailure) return err.line;
  return `failed: ${reasonOf(err)} (run again with --verbose or DEBUG=1 for the details)`;
}

export interface RunCliOptions {
  /** Exit status of a failure that names none (a CliFailure without `exitCode`, or any other error). */
  defaultExitCode: number;
  /** Hand `main` the arguments as given (`--verbose` included) rather than without `--verbose` / `-v`. */
  keepVerboseArgs?: boolean;
  argv?: readonly string[];
}

/**
 * Runs a CLI's main function as a process: exits with its code; on a failure prints ONE line on stderr
 * (`<name>: <what failed and what to check>`), after the stack when verbose, and exits with the failure's code.
 */
export function runCli(name: string, main: (argv: string[], verbose: boolean) => Promise<number>, o: RunCliOptions): void {
  const given = o.argv ?? process.argv.slice(2);
  const { verbose, args } = splitVerbose(given);
  main(o.keepVerboseArgs ? [...given] : args, verbose).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (verbose) {
        const cause = err instanceof CliFailure ? err.cause : err;
        if (cause !== undefined) process.stderr.write(`${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`);
      }
      process.stderr.write(`${name}: ${failureLine(err)}\n`);
      process.exit(err instanceof CliFailure ? (err.exitCode ?? o.defaultExitCode) : o.defaultExitCode);
    },
  );
}
