import { lifecycleServiceConfig, loadConfig, type LifecycleServiceConfig } from '@onestop/config';

export const SERVICE_NAME = 'result-service';
export const SCHEMA = 'result';

/** The one typed configuration of result-service, validated at boot (every bad variable in one error). */
export type ResultConfig = LifecycleServiceConfig;

export const RESULT_CONFIG = Symbol('RESULT_CONFIG');

export function loadResultConfig(source: NodeJS.ProcessEnv = process.env): ResultConfig {
  return loadConfig((env) => lifecycleServiceConfig(env, { service: SERVICE_NAME, schema: SCHEMA, defaultPort: 3003 }), source);
}
