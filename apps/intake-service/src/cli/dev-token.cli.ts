import '../runtime-aliases';
import { ConfigValidationException } from '@onestop/config';
import { issueToken } from '@onestop/http';
import { DomainCatalogue } from '../catalogue/domain-catalogue';
import { loadIntakeConfig } from '../config/intake.config';
import { CliFailure, EXIT_USAGE, runCli } from './cli-failure';

/**
 * Prints a development officer token signed with this service's JWT_SECRET:
 *   node -r ./tools/ts-register.cjs apps/intake-service/src/cli/dev-token.cli.ts <unitCode> [officerId] [--admin]
 * `unitCode` must be a one-stop unit of the unit directory (@onestop/domain), as every request of the officer is
 * checked against it (exit 64 otherwise, nothing printed on stdout); `--admin` adds the admin role (acts for any
 * unit). A JWT_SECRET shorter than 32 bytes (HS256 wants a key of at least 256 bits, RFC 7518 §3.2) gets a warning
 * on stderr: the services accept it, so the token still works, but such a secret is guessable.
 */

/** Shortest JWT_SECRET, in bytes (UTF-8), that is not warned about: the HS256 output size (RFC 7518 §3.2). */
const MIN_JWT_SECRET_BYTES = 32;
/** sysexits EX_CONFIG: an environment variable is invalid. */
const EXIT_CONFIG = 78;

const USAGE = `usage: dev-token.cli <unitCode> [officerId] [--admin] [--verbose]
Prints an officer JWT (12 h) signed with JWT_SECRET / JWT_ISSUER, as intake-service checks them.
  unitCode     one-stop unit of the officer (a code of the unit directory, e.g. 01.00004, 01.TTPV)
  officerId    default dev-<unitCode>
  --admin      adds the admin role (acts for any unit)
Exit status: 0 printed, 64 usage error (unknown unit or option), 78 invalid configuration.
`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => a.startsWith('-') && a !== '--admin');
  const positional = argv.filter((a) => !a.startsWith('-'));
  const [unitId, officerId = `dev-${unitId}`, ...extra] = positional;
  const problems: string[] = unknown.map((a) => `unknown option ${a}`);
  if (!unitId) problems.push('the officer unit code is required');
  else if (!new DomainCatalogue().unitValidity(unitId)) problems.push(`${unitId} is not a one-stop unit of the unit directory (@onestop/domain), e.g. 01.00004, 01.TTPV: check the code`);
  if (extra.length > 0) problems.push(`unexpected argument(s): ${extra.join(' ')}`);
  if (problems.length > 0 || !unitId) {
    process.stderr.write(`${problems.join('\n')}\n${USAGE.split('\n')[0]}\n`);
    return EXIT_USAGE;
  }
  let auth: { jwtSecret: string; issuer: string };
  try {
    ({ auth } = loadIntakeConfig());
  } catch (err) {
    if (err instanceof ConfigValidationException) throw new CliFailure(`invalid configuration: ${err.problems.join('; ')}`, err, EXIT_CONFIG);
    throw err;
  }
  const bytes = Buffer.byteLength(auth.jwtSecret, 'utf8');
  if (bytes < MIN_JWT_SECRET_BYTES) {
    process.stderr.write(
      `warning: JWT_SECRET is ${bytes} bytes, shorter than ${MIN_JWT_SECRET_BYTES} (HS256 wants at least 256 bits): tokens signed with it can be forged by guessing it; set a random secret of 32 bytes or more\n`,
    );
  }
  const roles = argv.includes('--admin') ? ['officer', 'admin'] : ['officer'];
  process.stdout.write(issueToken({ secret: auth.jwtSecret, issuer: auth.issuer }, { officerId, name: officerId, unitId, roles }, 12 * 3600) + '\n');
  return 0;
}

runCli('dev-token.cli', main);
