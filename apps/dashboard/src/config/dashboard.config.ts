import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@onestop/config';

export interface DashboardConfig {
  host: string;
  port: number;
  /** Base URL of the statistics service; `/api/*` is proxied to it with the `/api` prefix removed. */
  statisticsUrl: string;
  /** Folder of the static page (index.html, *.js, *.css). */
  publicDir: string;
  /** Upper bound for a proxied non-streaming request (ms); SSE streams are not limited. */
  upstreamTimeoutMs: number;
}

/** public/ next to src/ when run from the sources, or apps/dashboard/public under the working directory. */
function defaultPublicDir(): string {
  const candidates = [path.resolve(__dirname, '../../public'), path.resolve(process.cwd(), 'apps/dashboard/public')];
  return candidates.find((c) => existsSync(path.join(c, 'index.html'))) ?? candidates[0]!;
}

export function loadDashboardConfig(source: NodeJS.ProcessEnv = process.env): DashboardConfig {
  return loadConfig((env) => {
    const statisticsUrl = env.str('STATISTICS_URL', 'http://127.0.0.1:3004').replace(/\/+$/, '');
    if (!/^https?:\/\/[^\s/]+$/.test(statisticsUrl)) env.str('STATISTICS_URL must be an http(s) origin such as http://127.0.0.1:3004; variable');
    return {
      host: env.str('DASHBOARD_HOST', '127.0.0.1'),
      port: env.int('DASHBOARD_PORT', 3005, 0, 65535),
      statisticsUrl,
      publicDir: env.str('DASHBOARD_PUBLIC_DIR', defaultPublicDir()),
      upstreamTimeoutMs: env.int('DASHBOARD_UPSTREAM_TIMEOUT_MS', 15_000, 100, 300_000),
    };
  }, source);
}
