import { JsonLogger } from '@onestop/observability';
import { loadDashboardConfig } from './config/dashboard.config';
import { createDashboardServer } from './server/dashboard.server';
import { buildUnitNames } from './units/unit-names';

/** Operators' live dashboard: static page + /units.json + /api/* proxy to the statistics service. */
async function main(): Promise<void> {
  const logger = new JsonLogger('dashboard');
  const config = loadDashboardConfig();
  const unitsJson = JSON.stringify(buildUnitNames());
  const server = createDashboardServer({
    config,
    unitsJson,
    log: { info: (m) => logger.log(m, 'http'), warn: (m) => logger.warn(m, 'http') },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.log({ msg: 'listening', url: `http://${config.host}:${port}`, statisticsUrl: config.statisticsUrl }, 'bootstrap');
  const stop = (signal: string) => {
    logger.log({ msg: 'stopping', signal }, 'bootstrap');
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  new JsonLogger('dashboard').fatal(err instanceof Error ? err : String(err), 'bootstrap');
  process.exit(1);
});
