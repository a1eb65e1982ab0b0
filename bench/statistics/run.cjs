#!/usr/bin/env node
// Statistics-service benchmark, one command:  node bench/statistics/run.cjs [--events 1000000] [--rate 2000] [--seconds 20]
// Needs Kafka, Postgres and Redis (KAFKA_BROKERS / DATABASE_URL / REDIS_URL, default the local ones).
require('../../apps/statistics-service/test/support/swc-register.cjs');
require('./bench.ts');
