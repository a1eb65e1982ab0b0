import { DEFAULT_MIX, type TrafficMix } from '../simulation/plan';

export interface SimulatorArgs {
  dossiers: number;
  durationMs: number | null;
  rate: number;
  concurrency: number;
  provinces: string[];
  unitsPerProvince: number;
  spreadDays: number;
  seed: number;
  waitTimeoutMs: number;
  urls: { intake: string; processing: string; result: string };
  jwt: { secret: string; issuer: string };
  mix: TrafficMix;
  help: boolean;
}

export const USAGE = `Traffic simulator: drives realistic dossier lifecycles through the running services over HTTP.

  npm run simulate -- [options]

  --dossiers N             dossiers to start (default 100; with --duration: at most N, default unlimited)
  --duration S             stop starting new dossiers after S seconds
  --rate R                 new dossiers per second (default 2)
  --concurrency C          lifecycles in flight at most (default 8)
  --provinces 01,79        province codes (2025 map) whose communes receive the traffic (default 01,79)
  --units-per-province K   commune one-stop units per province (default 10)
  --spread-days D          receipts spread over the last D days (default 0: all received now)
  --online P               share of online submissions, 0..1 (default 0.53)
  --digitised P            share of dossiers scanned at intake (default 0.67)
  --late P                 with --spread-days: share of resolved/open dossiers past their due date (default 0.03)
  --seed S                 seed of the traffic (default: random, printed)
  --wait-timeout S         how long to wait for a service to catch up with Kafka (default 30)
  --intake-url, --processing-url, --result-url   (env INTAKE_URL, PROCESSING_URL, RESULT_URL;
                           defaults http://127.0.0.1:3001, :3002, :3003 as started by npm start)
  Tokens are signed with JWT_SECRET / JWT_ISSUER (the same defaults as npm start).

Progress goes to stderr every second; the report (JSON) to stdout. Exit code 1 when a lifecycle failed.
Ctrl-C stops starting new dossiers and lets the ones in flight finish.`;

const DEV_SECRET = 'dev-only-secret-change-me-0123456789';

/** Parses `--name value` / `--name=value` options; throws with the offending option on bad input. */
export function parseSimulatorArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SimulatorArgs {
  const known = new Set(['dossiers', 'duration', 'rate', 'concurrency', 'provinces', 'units-per-province', 'spread-days', 'online', 'digitised', 'late', 'seed', 'wait-timeout', 'intake-url', 'processing-url', 'result-url']);
  const raw = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      help = true;
      continue;
    }
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}" (see --help)`);
    const eq = a.indexOf('=');
    // an unknown option is named as such, not as one missing its value (`--speed --rate 3`)
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (!known.has(name)) throw new Error(`unknown option --${name} (see --help)`);
    if (eq > 0) raw.set(name, a.slice(eq + 1));
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`option ${a} needs a value`);
      raw.set(a.slice(2), v);
      i++;
    }
  }

  const num = (name: string, def: number, check: (n: number) => boolean, what: string): number => {
    const v = raw.get(name);
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n) || !check(n)) throw new Error(`--${name} must be ${what} (got "${v}")`);
    return n;
  };
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
  const share = (n: number) => n >= 0 && n <= 1;
  const url = (name: string, envName: string, def: string): string => {
    const v = raw.get(name) ?? env[envName] ?? def;
    try {
      return new URL(v).toString().replace(/\/$/, '');
    } catch {
      throw new Error(`--${name} must be a URL (got "${v}")`);
    }
  };
  const duration = raw.has('duration') ? num('duration', 0, (n) => n > 0, 'a number of seconds > 0') : null;
  const provinces = (raw.get('provinces') ?? '01,79').split(',').map((s) => s.trim()).filter(Boolean);
  if (provinces.length === 0 || provinces.some((p) => !/^\d{2}$/.test(p))) throw new Error(`--provinces must be two-digit province codes, e.g. 01,79`);
  // a province named twice would get its communes twice, so twice the traffic and twice --units-per-province
  const twice = provinces.find((p, i) => provinces.indexOf(p) !== i);
  if (twice !== undefined) throw new Error(`--provinces names ${twice} twice`);
  const mix = { ...DEFAULT_MIX, online: num('online', DEFAULT_MIX.online, share, 'a share between 0 and 1'), digitised: num('digitised', DEFAULT_MIX.digitised, share, 'a share between 0 and 1'), late: num('late', DEFAULT_MIX.late, share, 'a share between 0 and 1') };
  mix.postal = Math.min(mix.postal, 1 - mix.online);
  return {
    dossiers: num('dossiers', duration === null ? 100 : Number.MAX_SAFE_INTEGER, positiveInt, 'a whole number > 0'),
    durationMs: duration === null ? null : duration * 1000,
    rate: num('rate', 2, (n) => n > 0 && n <= 10_000, 'a number of dossiers per second in (0, 10000]'),
    concurrency: num('concurrency', 8, (n) => positiveInt(n) && n <= 1000, 'a whole number in [1, 1000]'),
    provinces,
    unitsPerProvince: num('units-per-province', 10, positiveInt, 'a whole number > 0'),
    spreadDays: num('spread-days', 0, (n) => n >= 0 && n <= 365, 'a number of days in [0, 365]'),
    seed: num('seed', Math.floor(Math.random() * 2 ** 31), (n) => Number.isInteger(n) && n >= 0, 'a whole number >= 0'),
    waitTimeoutMs: num('wait-timeout', 30, (n) => n > 0, 'a number of seconds > 0') * 1000,
    urls: {
      intake: url('intake-url', 'INTAKE_URL', 'http://127.0.0.1:3001'),
      processing: url('processing-url', 'PROCESSING_URL', 'http://127.0.0.1:3002'),
      result: url('result-url', 'RESULT_URL', 'http://127.0.0.1:3003'),
    },
    jwt: { secret: env['JWT_SECRET'] || DEV_SECRET, issuer: env['JWT_ISSUER'] || 'onestop-pulse' },
    mix,
    help,
  };
}
