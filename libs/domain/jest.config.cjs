// Pure library: no Kafka/Postgres/Redis, so no global infrastructure setup.
module.exports = require('../../jest.preset.cjs').preset(__dirname, { infra: false });
