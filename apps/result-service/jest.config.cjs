module.exports = require('../../jest.preset.cjs').preset(__dirname, { testTimeout: 90_000 });
