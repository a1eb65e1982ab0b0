// Integration suites share one Postgres and one broker with other engineers: run files one at a time.
// content-disposition (pulled in by @fastify/static, which serves the Swagger UI) ships ESM only; Node's
// require(esm) loads it at runtime but Jest cannot, so SWC transpiles it like our own sources.
module.exports = require('../../jest.preset.cjs').preset(__dirname, {
  maxWorkers: 1,
  testTimeout: 90_000,
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
});
