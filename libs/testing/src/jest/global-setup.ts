import { exportEndpoints, provideInfra, type StartedInfra } from '../infra';

declare global {
  var __ONESTOP_INFRA__: StartedInfra | undefined;
}

export default async function globalSetup(): Promise<void> {
  const infra = await provideInfra((m) => process.stderr.write(`[infra] ${m}\n`));
  exportEndpoints(infra.endpoints);
  globalThis.__ONESTOP_INFRA__ = infra;
  process.stderr.write(
    `[infra] source=${infra.endpoints.source} kafka=${infra.endpoints.kafkaBrokers.join(',')} ` +
      `postgres=${infra.endpoints.databaseUrl.replace(/\/\/([^:@]+):[^@]*@/, '//$1:***@')} redis=${infra.endpoints.redisUrl}\n`,
  );
}
