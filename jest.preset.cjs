// Shared Jest settings: SWC transpiles TypeScript (with decorator metadata for NestJS); type checking
// is the `typecheck` target's job. Libraries resolve through the same @onestop/* aliases as tsconfig.
const path = require('node:path');
const fs = require('node:fs');

const root = __dirname;
// Jest's --outputFile does not create folders; every project's test target writes its JSON report here.
fs.mkdirSync(path.join(root, 'reports', 'jest'), { recursive: true });
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;

const libs = fs.readdirSync(path.join(root, 'libs'));
const moduleNameMapper = Object.fromEntries(
  libs.map((lib) => [`^@onestop/${lib}$`, path.join(root, 'libs', lib, 'src', 'index.ts')]),
);

/**
 * @param {string} projectDir absolute path of the project (pass __dirname)
 * @param {{ infra?: boolean } & Record<string, unknown>} options infra: false for pure projects that need
 *   no Kafka, Postgres or Redis (no global setup then); other keys override Jest options.
 */
function preset(projectDir, options = {}) {
  const { infra = true, ...overrides } = options;
  const infraHooks = infra
    ? {
        globalSetup: path.join(root, 'libs/testing/src/jest/global-setup.ts'),
        globalTeardown: path.join(root, 'libs/testing/src/jest/global-teardown.ts'),
      }
    : {};
  return {
    displayName: path.relative(root, projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    transform: { '^.+\\.(t|j)s$': ['@swc/jest', { ...swcrc, swcrc: false }] },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper,
    testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.int-spec.ts', '<rootDir>/**/*.e2e-spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    // content-disposition 3 (via @fastify/static, used by the OpenAPI UI) is published as an ES module only.
    transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
    ...infraHooks,
    testTimeout: 60_000,
    ...overrides,
  };
}

module.exports = { preset };
