import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../infra';

/**
 * `docker compose up --build` must run the whole stack (no Docker engine here to run it): every server under
 * apps/ is a compose service built from the one Dockerfile, reachable on its port, started after what it needs.
 */
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string | number>;
  ports?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const root = repoRoot();
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
/** Command-line tools under apps/ that are not long-running servers. */
const CLI_APPS = new Set(['simulator']);
const servers = readdirSync(path.join(root, 'apps')).filter((a) => existsSync(path.join(root, 'apps', a, 'src/main.ts')) && !CLI_APPS.has(a));
const dependsOn = (s: ComposeService) => (Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {}));

describe('docker-compose.yml', () => {
  it('should run Kafka (official image, KRaft), Postgres and Redis with health checks', () => {
    const { kafka, postgres, redis } = compose.services;
    expect(kafka?.image).toMatch(/^apache\/kafka:4\./);
    expect(String(kafka?.environment?.['KAFKA_PROCESS_ROLES'])).toContain('controller');
    for (const s of [kafka, postgres, redis]) expect(s?.healthcheck?.test.length).toBeGreaterThan(0);
  });

  it.each(servers)('should build and publish %s', (name) => {
    expect(servers).toEqual(expect.arrayContaining(['intake-service', 'processing-service', 'result-service', 'statistics-service', 'dashboard']));
    const s = compose.services[name];
    expect(s).toBeDefined();
    expect(s!.build?.args?.['SERVICE']).toBe(name);
    expect(existsSync(path.join(root, s!.build!.dockerfile))).toBe(true);
    const env = s!.environment ?? {};
    const port = String(env['HTTP_PORT'] ?? env['DASHBOARD_PORT']);
    expect(s!.ports).toContain(`${port}:${port}`);
    expect(env['HTTP_HOST'] ?? env['DASHBOARD_HOST']).toBe('0.0.0.0');
    const needs = dependsOn(s!);
    expect(needs.length).toBeGreaterThan(0);
    for (const n of needs) expect(compose.services[n]).toBeDefined();
    for (const url of Object.values(env).filter((v): v is string => typeof v === 'string' && /^\w+:\/\//.test(v))) {
      expect(needs).toContain(new URL(url).hostname); // every upstream it calls is started before it
    }
  });
});
