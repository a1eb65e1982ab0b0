// Integration suites share one Kafka broker, Postgres and Redis on a 2-core box: run them one at a time.
// content-disposition (pulled in by @fastify/static for the Swagger UI at /docs) ships ESM only: let SWC
// transpile it like our own sources.
module.exports = require('../../jest.preset.cjs').preset(__dirname, {
  maxWorkers: 1,
  testTimeout: 120_000,
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
});
