import './runtime-aliases';
import { createResultApp } from './bootstrap';
import { loadResultConfig } from './config/result.config';

async function main(): Promise<void> {
  const cfg = loadResultConfig();
  const app = await createResultApp(cfg);
  await app.listen(cfg.http.port, cfg.http.host);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
