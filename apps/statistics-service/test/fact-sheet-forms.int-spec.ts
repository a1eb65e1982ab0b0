import { type IndicatorEvent } from '@onestop/domain';
import { BatchApplier } from '../src/ingest/batch-applier';
import { decodeFacts } from '../src/ingest/fact-codec';
import { createIndicatorEngine } from '../src/indicators/engine.factory';
import { type PublicEvent } from '../src/indicators/indicator-engine';
import { generateDossiers, interleave, oneStopUnits } from './support/event-generator';
import { diff, migratedDatabase, pgCounters, pgScalar, recountEvents } from './support/harness';

/**
 * ADR 0403: fact sheets are written as a compact json array; a database written before holds the object form.
 * A database whose fact sheets are ALL in the object form (as the previous code wrote them) keeps counting
 * exactly when the new code continues on it, and the rows it touches are rewritten compactly, inline.
 */
describe('fact sheets: compact form, and the object form of older databases', () => {
  const suite = migratedDatabase('stats_facts');

  it('should continue exactly on fact sheets in the object form and rewrite touched ones compactly', async () => {
    const events = interleave(generateDossiers({ dossiers: 300, units: oneStopUnits(['01', '79'], 3), seed: 31 }), 4) as unknown as PublicEvent[];
    const half = Math.floor(events.length / 2);
    const [db, pool] = [suite.db(), suite.pool()];
    const applier = new BatchApplier(pool, createIndicatorEngine(), 'facts');
    await applier.apply({ topic: 't', partition: 0, events: events.slice(0, half), nextOffset: String(half) });
    const n = await pgScalar(db.url, `SELECT count(*) FROM statistics.dossier_facts`);
    expect(await pgScalar(db.url, `SELECT count(*) FROM statistics.dossier_facts WHERE json_typeof(facts) = 'array'`)).toBe(n);
    // what the previous code stored: the domain's object, with its dossierId
    const { rows } = await pool.query<{ dossier_id: string; facts: unknown }>(`SELECT dossier_id, facts FROM statistics.dossier_facts`);
    await pool.query(
      `UPDATE statistics.dossier_facts d SET facts = t.f::json FROM unnest($1::text[], $2::text[]) AS t(id, f) WHERE d.dossier_id = t.id`,
      [rows.map((r) => r.dossier_id), rows.map((r) => JSON.stringify(decodeFacts(r.dossier_id, r.facts)))],
    );
    expect(await pgScalar(db.url, `SELECT count(*) FROM statistics.dossier_facts WHERE json_typeof(facts) = 'object'`)).toBe(n);

    await applier.apply({ topic: 't', partition: 0, events: events.slice(half), nextOffset: String(events.length) });
    expect(diff(await pgCounters(db.url), recountEvents(events as unknown as IndicatorEvent[]).counters)).toEqual([]);
    const touched = new Set(events.slice(half).map((e) => e.payload.dossierId)).size;
    expect(await pgScalar(db.url, `SELECT count(*) FROM statistics.dossier_facts WHERE json_typeof(facts) = 'array'`)).toBe(touched);
    // no fact sheet goes to the TOAST table any more (migration 1764100000000)
    expect(await pgScalar(db.url, `SELECT count(*) FROM statistics.dossier_facts WHERE json_typeof(facts) = 'array' AND pg_column_size(facts) < octet_length(facts::text)`)).toBe(0);
  });
});
