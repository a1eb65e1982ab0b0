import './runtime-aliases';
import { createProcessingApp } from './bootstrap';
import { loadProcessingConfig } from './config/processing.config';

async function main(): Promise<void> {
  const cfg = loadProcessingConfig();
  const app = await createProcessingApp(cfg);
  await app.listen(cfg.http.port, cfg.http.host);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
