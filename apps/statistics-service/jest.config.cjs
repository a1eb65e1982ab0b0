// Integration suites share one Kafka broker, Postgres and Redis on a 2-core box: run them one at a time.
module.exports = require('../../jest.preset.cjs').preset(__dirname, { maxWorkers: 1, testTimeout: 120_000 });
