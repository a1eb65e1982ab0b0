import { eventually } from '@onestop/testing';
import { randomUUID } from 'node:crypto';
import { call, collectTopic, tokenFor, useIntakeSuite, type CallResult } from './support/harness';
import { FIX, applicant, counterBody } from './support/fixtures';

/**
 * Group commit of POST /dossiers (ADR 0203). A 150 ms window makes concurrent requests land in one batch;
 * `xmin` tells which rows one transaction wrote.
 */
describe('intake-service group commit (real Postgres and Kafka)', () => {
  const suite = useIntakeSuite('intake_gc', { INTAKE_GROUP_COMMIT_WINDOW_MS: '150' });
  const token = tokenFor({ unitId: FIX.unit, officerId: 'can-bo-gc' });
  const tables = ['dossier', 'dossier_event', 'outbox', 'audit_log', 'idempotency_key'] as const;
  const state = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await suite.count(t)] as const)));
  const grown = (before: Record<string, number>, n: number) => Object.fromEntries(tables.map((t) => [t, (before[t] as number) + n]));
  const post = (body: unknown, idempotencyKey?: string): Promise<CallResult> => call(suite.url, 'POST', '/dossiers', { token, body, idempotencyKey });
  const seqOf = (r: CallResult): number => Number(String(r.body['code']).split('-').pop());
  const transactions = async (codes: string[]): Promise<number> =>
    Number((await suite.pg.query(`SELECT count(DISTINCT xmin::text)::int AS n FROM intake.dossier WHERE code = ANY($1)`, [codes])).rows[0].n);

  it('should commit a batch in one transaction while a reused key and bad data fail alone, publish each event once, and replay a member', async () => {
    const usedKey = randomUUID();
    expect((await post(counterBody(), usedKey)).status).toBe(201);
    const before = await state();
    const good = Array.from({ length: 6 }, () => ({ key: randomUUID(), body: counterBody() }));
    const [results, reused, unknown] = await Promise.all([
      Promise.all(good.map((g) => post(g.body, g.key))),
      post(counterBody({ channel: 'POSTAL' }), usedKey),
      post(counterBody({ procedureCode: '9.999999' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ errors: [{ field: 'procedureCode' }] });
    const codes = results.map((r) => r.body['code'] as string);
    expect(await transactions(codes)).toBe(1);
    const seqs = results.map(seqOf).sort((a, b) => a - b);
    expect(seqs[5]! - seqs[0]!).toBe(5);
    expect(new Set(seqs).size).toBe(6);
    expect(await state()).toEqual(grown(before, 6));
    const audit = await suite.pg.query(`SELECT target, actor, action FROM intake.audit_log WHERE target = ANY($1)`, [codes]);
    expect(audit.rows).toHaveLength(6);
    expect(audit.rows.every((r) => r.actor === 'can-bo-gc' && r.action === 'dossier.receive')).toBe(true);

    // A retry of a batch member gets the first answer; nothing new is written.
    const retry = await post(good[2]!.body, good[2]!.key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(results[2]!.body);
    const conflict = await post(counterBody(), good[3]!.key);
    expect(conflict.status).toBe(422);

    // Exactly once on Kafka: each committed event id once on the internal topic.
    const sink = await collectTopic([suite.infra.topics.internal]);
    try {
      await eventually(() => codes.every((c) => sink.messages.some((m) => m.key === c)) || undefined, 'the batch on Kafka', { timeoutMs: 30_000 });
      await eventually(async () => (await suite.pg.query(`SELECT count(*)::int AS n FROM intake.outbox WHERE published_at IS NULL`)).rows[0].n === 0, 'an empty backlog');
      await new Promise((r) => setTimeout(r, 1000));
      const mine = sink.messages.filter((m) => codes.includes(m.key));
      expect(mine).toHaveLength(6);
      const ids = (await suite.pg.query(`SELECT id FROM intake.outbox WHERE aggregate_id = ANY($1)`, [codes])).rows.map((r) => r.id).sort();
      expect(mine.map((m) => m.headers['event-id']).sort()).toEqual(ids);
    } finally {
      await sink.stop();
    }
  });

  it('should fall back to one transaction per request when the batch fails, so only the failing member is lost', async () => {
    // A member the database refuses. (It was a name holding U+0000 until round 4, which now fails validation with a
    // 400 before any batch: a trigger stands in for whatever else a database may refuse.)
    await suite.pg.query(`CREATE FUNCTION intake.gc_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.applicant->>'fullName' = 'Ghi Lỗi' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await suite.pg.query(`CREATE TRIGGER gc_test_refuse BEFORE INSERT ON intake.dossier FOR EACH ROW EXECUTE FUNCTION intake.gc_test_refuse()`);
    const before = await state();
    const bad = counterBody({ applicant: applicant({ fullName: 'Ghi Lỗi' }) });
    const [results, failed] = await Promise.all([Promise.all(Array.from({ length: 5 }, () => post(counterBody()))), post(bad)]);
    await suite.pg.query(`DROP TRIGGER gc_test_refuse ON intake.dossier; DROP FUNCTION intake.gc_test_refuse()`);
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(201));
    expect(failed.status).toBeGreaterThanOrEqual(400);
    const codes = results.map((r) => r.body['code'] as string);
    expect(await transactions(codes)).toBe(5);
    const seqs = results.map(seqOf).sort((a, b) => a - b);
    expect(seqs[4]! - seqs[0]!).toBe(4);
    expect(await state()).toEqual(grown(before, 5));
  });

  it('should write a key sent twice in one batch once and give both requests the same answer', async () => {
    const before = await state();
    const key = randomUUID();
    const body = counterBody();
    const [a, b] = await Promise.all([post(body, key), post(body, key)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toEqual(b.body);
    expect([a.headers.get('idempotent-replayed'), b.headers.get('idempotent-replayed')].filter(Boolean)).toEqual(['true']);
    expect(await state()).toEqual(grown(before, 1));
  });

  it('should batch keys holding quotes and backslashes (inlined in the claim statement) and replay them', async () => {
    const before = await state();
    const keys = [`o'brien-${randomUUID()}`, `back\\slash\\'${randomUUID()}`, `$1::text[]-${randomUUID()}`, `"dq"'';--${randomUUID()}`];
    const bodies = keys.map(() => counterBody());
    const results = await Promise.all(keys.map((k, i) => post(bodies[i], k)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const codes = results.map((r) => r.body['code'] as string);
    expect(await transactions(codes)).toBe(1);
    expect(await state()).toEqual(grown(before, 4));
    const stored = (await suite.pg.query(`SELECT key FROM intake.idempotency_key WHERE key = ANY($1)`, [keys])).rows.map((r) => r.key).sort();
    expect(stored).toEqual([...keys].sort());
    const replays = await Promise.all(keys.map((k, i) => post(bodies[i], k)));
    expect(replays.map((r) => r.headers.get('idempotent-replayed'))).toEqual(['true', 'true', 'true', 'true']);
    expect(replays.map((r) => r.body)).toEqual(results.map((r) => r.body));
    expect(await state()).toEqual(grown(before, 4));
  });

  it('should store text holding dollar signs, quotes and backslashes verbatim through the batch insert', async () => {
    const tricky = [`Nguyễn $$ Văn`, `Trần $j0123456789ab$ Thị`, `Lê 'O''Brien' \\ "x" $1 ;COMMIT;`];
    const bodies = tricky.map((fullName) => counterBody({ applicant: applicant({ fullName }) }));
    const results = await Promise.all(bodies.map((b) => post(b)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    const codes = results.map((r) => r.body['code'] as string);
    expect(await transactions(codes)).toBe(1);
    const rows = await suite.pg.query(`SELECT code, applicant->>'fullName' AS name FROM intake.dossier WHERE code = ANY($1)`, [codes]);
    expect(Object.fromEntries(rows.rows.map((r) => [r.code, r.name]))).toEqual(Object.fromEntries(codes.map((c, i) => [c, tricky[i]])));
    const env = await suite.pg.query(`SELECT aggregate_id, envelope->'payload'->'applicant'->>'fullName' AS name FROM intake.outbox WHERE aggregate_id = ANY($1)`, [codes]);
    expect(Object.fromEntries(env.rows.map((r) => [r.aggregate_id, r.name]))).toEqual(Object.fromEntries(codes.map((c, i) => [c, tricky[i]])));
  });
});
