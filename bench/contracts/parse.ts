/**
 * Event validation cost, product vs baseline in the same run: `safeParsePublicEvent` of @onestop/contracts (ajv with
 * the contract's `date-time` format, date-time-format.util.ts) against the same compiled schemas on an ajv with
 * ajv-formats' own `date-time` (what the contract used before session 10). No infrastructure needed.
 *   node -r ./apps/statistics-service/test/support/swc-register.cjs bench/contracts/parse.ts [--events 60000] [--rounds 5]
 * Prints CPU time per event (JSON.parse + validation) of both, alternating rounds, and their ratio.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { EVENT_TYPES_V1, EventVariant, eventSchemaV1, safeParsePublicEvent, warmUpEventValidators, type EventTypeV1 } from '../../libs/contracts/src';
import { generateDossiers, interleave, oneStopUnits } from '../../apps/statistics-service/test/support/event-generator';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const EVENTS = arg('events', 60_000);
const ROUNDS = arg('rounds', 5);
const log = (msg: string): void => void process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

// baseline: the same schemas, ajv-formats' date-time
const baselineAjv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: false, messages: true });
addFormats(baselineAjv);
const baseline = new Map<string, ValidateFunction>(EVENT_TYPES_V1.map((t: EventTypeV1) => [t, baselineAjv.compile(eventSchemaV1(t, EventVariant.Public))]));
const baselineParse = (text: string): boolean => {
  const value = JSON.parse(text) as { type: string };
  return baseline.get(value.type)!(value) === true;
};
const productParse = (text: string): boolean => safeParsePublicEvent(JSON.parse(text)).ok;

function cpuPerEvent(parse: (t: string) => boolean, texts: string[]): { us: number; ok: number } {
  let ok = 0;
  const c0 = process.cpuUsage();
  for (const t of texts) if (parse(t)) ok++;
  const c = process.cpuUsage(c0);
  return { us: (c.user + c.system) / texts.length, ok };
}

function main(): void {
  warmUpEventValidators();
  log(`generating ${EVENTS} public events`);
  const units = oneStopUnits(['01', '79', '38'], 10);
  const texts: string[] = [];
  for (let seed = 1; texts.length < EVENTS; seed++) {
    for (const e of interleave(generateDossiers({ dossiers: 10_000, units, seed, days: 60, start: '2025-10-01T08:00:00+07:00', seqPrefix: String(seed) }), seed)) {
      texts.push(JSON.stringify(e));
    }
  }
  texts.length = EVENTS;
  for (let i = 0; i < 2; i++) {
    cpuPerEvent(baselineParse, texts);
    cpuPerEvent(productParse, texts);
  }
  const b: number[] = [];
  const p: number[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const rb = cpuPerEvent(baselineParse, texts);
    const rp = cpuPerEvent(productParse, texts);
    if (rb.ok !== texts.length || rp.ok !== texts.length) throw new Error(`not every event valid: baseline ${rb.ok}, product ${rp.ok} of ${texts.length}`);
    b.push(rb.us);
    p.push(rp.us);
    log(`round ${r}/${ROUNDS}: baseline ${rb.us.toFixed(2)} µs/event, product ${rp.us.toFixed(2)} µs/event`);
  }
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const result = { events: EVENTS, rounds: ROUNDS, baselineUsPerEvent: +median(b).toFixed(2), productUsPerEvent: +median(p).toFixed(2), ratio: +(median(p) / median(b)).toFixed(2) };
  log(`median CPU per event: product ${result.productUsPerEvent} µs vs baseline ${result.baselineUsPerEvent} µs = ${result.ratio}× the baseline`);
  console.log(JSON.stringify(result));
}

main();
