import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  ASYNCAPI_PATH,
  PUBLIC_SCHEMAS_DIR,
  REGENERATE_COMMAND,
  SCHEMAS_DIR,
  generateContractArtifacts,
} from './contract-artifacts.util';

// The committed contract files must equal what the code generates. To regenerate after a contract change:
//   UPDATE_CONTRACTS=1 npx jest -c libs/contracts/jest.config.cjs generated
const update = process.env['UPDATE_CONTRACTS'] === '1';

function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('workspace root (nx.json) not found');
    dir = parent;
  }
  return dir;
}

const root = workspaceRoot();
const artifacts = generateContractArtifacts();

function committedSchemaFiles(): string[] {
  return [SCHEMAS_DIR, PUBLIC_SCHEMAS_DIR].flatMap((dir) => {
    const abs = join(root, dir);
    if (!existsSync(abs)) return [];
    return readdirSync(abs)
      .filter((name) => name.endsWith('.json'))
      .map((name) => relative(root, join(abs, name)));
  });
}

describe('generated contract artifacts', () => {
  if (update) {
    it('should write the schemas and the AsyncAPI document when UPDATE_CONTRACTS=1', () => {
      const wanted = new Set(artifacts.map((artifact) => artifact.path));
      for (const stale of committedSchemaFiles().filter((path) => !wanted.has(path)))
        rmSync(join(root, stale));
      for (const artifact of artifacts) {
        mkdirSync(dirname(join(root, artifact.path)), { recursive: true });
        writeFileSync(join(root, artifact.path), artifact.content);
      }
      console.info(`wrote ${artifacts.length} contract files`);
      expect(committedSchemaFiles().length + 1).toBe(artifacts.length);
    });
    // Update mode only (a developer regenerating the files): the comparison below would compare the files just
    // written with themselves. CI never sets UPDATE_CONTRACTS, so there the comparisons always run.
    return;
  }

  it.each(artifacts.map((artifact) => [artifact.path, artifact.content] as const))(
    'should match the committed %s',
    (path, content) => {
      const abs = join(root, path);
      const committed = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
      if (committed !== content) {
        throw new Error(
          `${path} is ${committed === undefined ? 'missing' : 'out of date'}; run: ${REGENERATE_COMMAND}`,
        );
      }
    },
  );

  it('should have no committed schema file that the code no longer generates', () => {
    const wanted = new Set(artifacts.map((artifact) => artifact.path));
    const stale = committedSchemaFiles().filter((path) => !wanted.has(path));
    if (stale.length > 0)
      throw new Error(`stale files ${stale.join(', ')}; run: ${REGENERATE_COMMAND}`);
  });

  it('should generate one internal and one public schema per event type plus the AsyncAPI document', () => {
    expect(artifacts.filter((a) => a.path.startsWith(`${PUBLIC_SCHEMAS_DIR}/`))).toHaveLength(22);
    expect(
      artifacts.filter(
        (a) => a.path.startsWith(`${SCHEMAS_DIR}/`) && !a.path.startsWith(PUBLIC_SCHEMAS_DIR),
      ),
    ).toHaveLength(22);
    expect(artifacts.map((a) => a.path)).toContain(ASYNCAPI_PATH);
  });

  it('should be deterministic', () => {
    expect(generateContractArtifacts()).toEqual(artifacts);
  });
});
