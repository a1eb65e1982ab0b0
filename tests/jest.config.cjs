// Black-box end-to-end suites: the three lifecycle services run as child processes (tools/ts-register.cjs)
// against the real Postgres and Kafka provided by @onestop/testing's global setup.
module.exports = require('../jest.preset.cjs').preset(__dirname, { testTimeout: 120_000, maxWorkers: 1 });
