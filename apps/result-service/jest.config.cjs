// content-disposition (used by @fastify/static, which serves the Swagger UI at /docs) ships ESM only: let SWC
// turn it into CommonJS under Jest.
module.exports = require('../../jest.preset.cjs').preset(__dirname, {
  testTimeout: 90_000,
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
});
