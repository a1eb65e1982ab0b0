// Integration suites share one Postgres and one broker with other engineers: run files one at a time.
module.exports = require('../../jest.preset.cjs').preset(__dirname, { maxWorkers: 1, testTimeout: 90_000 });
