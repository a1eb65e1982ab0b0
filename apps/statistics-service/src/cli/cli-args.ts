/** Exit code of a command-line usage error (sysexits EX_USAGE), as the other CLIs of the repository use. */
export const EXIT_USAGE = 64;

/**
 * The statistics CLIs take no argument but `--verbose` (removed before this check, see cli-failure.ts; their settings come from the service's environment). Checked before
 * anything is opened, so that `rebuild --help` or a mistyped option never truncates the tables: `--help` / `-h`
 * prints the usage and answers 0, anything else prints the usage on stderr and answers `EXIT_USAGE`; no argument
 * answers null (run).
 */
export function checkNoArgs(argv: readonly string[], usage: string, out: (s: string) => void = (s) => console.log(s), err: (s: string) => void = (s) => console.error(s)): number | null {
  if (argv.length === 0) return null;
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    out(usage);
    return 0;
  }
  err(`unexpected argument "${argv.find((a) => a !== '--help' && a !== '-h') ?? argv[0]}": this command takes no argument but --verbose (settings come from the environment)\n\n${usage}`);
  return EXIT_USAGE;
}
