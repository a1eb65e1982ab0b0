import './runtime-aliases';
import { JsonLogger } from '@onestop/observability';
import { createStatisticsApp } from './bootstrap';
import { loadStatisticsConfig } from './config/statistics.config';

async function main(): Promise<void> {
  const logger = new JsonLogger('statistics-service');
  const config = loadStatisticsConfig();
  const app = await createStatisticsApp(config, logger);
  await app.listen(config.http.port, config.http.host);
  logger.log({ msg: 'listening', url: await app.getUrl() }, 'bootstrap');
}

main().catch((err: unknown) => {
  new JsonLogger('statistics-service').fatal(err instanceof Error ? err : String(err), 'bootstrap');
  process.exit(1);
});
