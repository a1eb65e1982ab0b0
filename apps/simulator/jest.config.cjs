// Pure unit tests (planner, CLI options); the simulator's run against the whole system is an end-to-end
// suite in tests/simulator.e2e-spec.ts.
module.exports = require('../../jest.preset.cjs').preset(__dirname, { infra: false });
