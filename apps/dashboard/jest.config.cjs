// Browser tests (playwright-core + Debian's Chromium) against the real statistics service: one suite at a
// time on the shared 2-core box, generous timeouts for the child processes' start-up.
module.exports = require('../../jest.preset.cjs').preset(__dirname, {
  maxWorkers: 1,
  testTimeout: 180_000,
});
