#!/usr/bin/env node
// Diagnostic for the outbox write path: commit throughput of a tiny transaction (BEGIN; INSERT; COMMIT) with and
// without `SELECT pg_notify(...)` (what appendToOutbox adds to every state-change transaction). Postgres takes a
// global lock for the commit of a transaction that issued NOTIFY, so such commits (and their WAL flushes) are
// serialised instead of grouped.   node bench/intake/notify-probe.cjs [--seconds 4] [--clients 16]
'use strict';
const { Pool } = require('pg');
const arg = (n, d) => (process.argv.includes(`--${n}`) ? Number(process.argv[process.argv.indexOf(`--${n}`) + 1]) : d);
const SECONDS = arg('seconds', 4);
const CLIENTS = arg('clients', 16);
(async () => {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', max: CLIENTS });
  const table = `public.zz_notify_probe_${process.pid}`;
  await pool.query(`CREATE TABLE ${table} (x int)`);
  try {
    for (const notify of [false, true, false, true]) {
      let n = 0;
      const end = Date.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          const c = await pool.connect();
          while (Date.now() < end) {
            await c.query('BEGIN');
            await c.query(`INSERT INTO ${table} VALUES (1)`);
            if (notify) await c.query(`SELECT pg_notify('zz_notify_probe', '')`);
            await c.query('COMMIT');
            n++;
          }
          c.release();
        }),
      );
      process.stdout.write(`${notify ? 'with NOTIFY   ' : 'without NOTIFY'} ${(n / SECONDS).toFixed(0)} tx/s\n`);
    }
  } finally {
    await pool.query(`DROP TABLE ${table}`);
    await pool.end();
  }
})();
