import '../runtime-aliases';
import { issueToken } from '@onestop/http';
import { loadIntakeConfig } from '../config/intake.config';

/**
 * Prints a development officer token signed with this service's JWT_SECRET:
 *   node -r ./tools/ts-register.cjs apps/intake-service/src/cli/dev-token.cli.ts <unitCode> [officerId] [--admin]
 */
const [unitId, officerId = `dev-${unitId}`] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!unitId) {
  process.stderr.write('usage: dev-token.cli <unitCode> [officerId] [--admin]\n');
  process.exit(64);
}
const { auth } = loadIntakeConfig();
const roles = process.argv.includes('--admin') ? ['officer', 'admin'] : ['officer'];
process.stdout.write(issueToken({ secret: auth.jwtSecret, issuer: auth.issuer }, { officerId, name: officerId, unitId, roles }, 12 * 3600) + '\n');
