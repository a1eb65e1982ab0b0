import { checkPostgres as checkDatabase, runCli as runSharedCli } from '@onestop/persistence';

export { CliFailure, failureLine, postgresTarget, reasonOf, splitVerbose } from '@onestop/persistence';

/**
 * How intake's CLIs fail: ONE line on stderr naming what failed and what to check (a setting), a documented exit
 * status, the stack only with `--verbose` / `-v` or DEBUG=1. The pattern of statistics-service's CLIs
 * (the shared parts live in @onestop/persistence: CliFailure, splitVerbose, checkPostgres).
 */

/** sysexits EX_USAGE: a wrong command line (nothing was done). */
export const EXIT_USAGE = 64;
/** sysexits EX_UNAVAILABLE: a service the CLI needs (Postgres) cannot be reached (nothing was done). */
export const EXIT_UNAVAILABLE = 69;
/** sysexits EX_SOFTWARE: any other failure (the line says what; --verbose adds the stack). */
export const EXIT_SOFTWARE = 70;

/** Postgres reachable, else one line and exit 69 (EX_UNAVAILABLE). */
export function checkPostgres(url: string): Promise<void> {
  return checkDatabase(url, EXIT_UNAVAILABLE);
}

/** Runs an intake CLI (persistence's `runCli`): a failure without its own code exits 70 (EX_SOFTWARE). */
export function runCli(name: string, main: (argv: string[], verbose: boolean) => Promise<number>): void {
  runSharedCli(name, main, { defaultExitCode: EXIT_SOFTWARE });
}
