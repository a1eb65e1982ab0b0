import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@onestop/testing';
import { arrayParam } from '../src/ingest/batch-applier';

/**
 * The applier's array parameters travel as one U+0001-joined string split by Postgres (ADR 0415). Whatever the
 * values — nulls, a lone null, empty strings, the separator itself, no values — Postgres must see exactly the
 * array the applier meant (real Postgres).
 */
describe('arrayParam: arrays as one joined string', () => {
  let db: TestDatabase;
  let client: Client;
  beforeAll(async () => {
    db = await createTestDatabase('stats_arrparam');
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const roundTrip = async (items: (string | null)[], type: 'text' | 'timestamptz' = 'text') => {
    const p = arrayParam(items, 1, type);
    const cast = type === 'text' ? 'x' : `to_char(x AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    const { rows } = await client.query<{ v: string | null }>(`SELECT ${cast} AS v FROM unnest(${p.sql}) WITH ORDINALITY AS t(x, i) ORDER BY i`, [p.value]);
    return { joined: typeof p.value === 'string', values: rows.map((r) => r.v) };
  };

  it.each<[string, (string | null)[], boolean]>([
    ['plain codes', ['01.00004', '01', 'VN'], true],
    ['nulls between values', ['a', null, 'b', null], true],
    ['only nulls', [null, null], true],
    ['a lone null (the joined string would be empty)', [null], false],
    ['an empty string (would read as null)', ['a', ''], false],
    ['a value holding the separator', ['a\u0001b', 'c'], false],
    ['array-literal characters', ['{"01.00004","01"}', 'x,y', 'back\\slash'], true],
    ['no values', [], true],
  ])('should keep %s', async (_name, items, joined) => {
    await expect(roundTrip(items)).resolves.toEqual({ joined, values: items });
  });

  it('should keep timestamps and their nulls', async () => {
    const items = ['2026-01-02T03:04:05.678Z', null, '2025-07-01T00:00:00.000Z'];
    await expect(roundTrip(items, 'timestamptz')).resolves.toEqual({ joined: true, values: items });
  });
});
