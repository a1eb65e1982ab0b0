import './runtime-aliases';
import { JsonLogger } from '@onestop/observability';
import { createIntakeApp } from './app.factory';
import { loadIntakeConfig } from './config/intake.config';

async function main(): Promise<void> {
  const config = loadIntakeConfig();
  const app = await createIntakeApp(config);
  await app.listen(config.http.port, config.http.host);
  new JsonLogger(config.service).log({ msg: 'intake-service listening', url: await app.getUrl(), pid: process.pid });
}

main().catch((err: unknown) => {
  new JsonLogger('intake-service').fatal(err instanceof Error ? err : String(err), 'bootstrap');
  process.exit(1);
});
