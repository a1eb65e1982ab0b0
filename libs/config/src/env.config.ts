/**
 * Typed, validated configuration from environment variables. Each service composes the shared sections
 * and calls `loadConfig` once at boot: every bad variable is reported in one error, then the typed object
 * is injected; feature code never reads process.env.
 */
export class ConfigValidationException extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationException';
  }
}

export interface EnvReader {
  str(name: string, def?: string): string;
  optStr(name: string): string | undefined;
  int(name: string, def?: number, min?: number, max?: number): number;
  bool(name: string, def?: boolean): boolean;
  list(name: string, def?: string[]): string[];
  secret(name: string, def?: string): string;
}

/** Names of variables marked secret, masked by `describeConfig`. */
const SECRETS = new Set<string>();

export function loadConfig<T>(build: (env: EnvReader) => T, source: NodeJS.ProcessEnv = process.env): T {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => {
    const v = source[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const env: EnvReader = {
    str(name, def) {
      const v = raw(name) ?? def;
      if (v === undefined) {
        problems.push(`${name} is required`);
        return '';
      }
      return v;
    },
    optStr: (name) => raw(name),
    int(name, def, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
      const v = raw(name);
      if (v === undefined) {
        if (def === undefined) problems.push(`${name} is required (integer)`);
        return def ?? 0;
      }
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        problems.push(`${name} must be an integer in [${min}, ${max}], got "${v}"`);
        return def ?? 0;
      }
      return n;
    },
    bool(name, def = false) {
      const v = raw(name);
      if (v === undefined) return def;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      problems.push(`${name} must be a boolean (true/false), got "${v}"`);
      return def;
    },
    list(name, def) {
      const v = raw(name);
      if (v === undefined) {
        if (def === undefined) problems.push(`${name} is required (comma-separated list)`);
        return def ?? [];
      }
      return v.split(',').map((s) => s.trim()).filter(Boolean);
    },
    secret(name, def) {
      SECRETS.add(name);
      return env.str(name, def);
    },
  };
  const cfg = build(env);
  if (problems.length > 0) throw new ConfigValidationException(problems);
  return cfg;
}

export function isSecret(name: string): boolean {
  return SECRETS.has(name);
}

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
}
export interface DatabaseConfig {
  url: string;
}
export interface RedisConfig {
  url: string;
}
export interface HttpConfig {
  host: string;
  port: number;
  bodyLimitBytes: number;
}

export const kafkaConfig = (env: EnvReader, clientId: string): KafkaConfig => ({
  brokers: env.list('KAFKA_BROKERS', ['127.0.0.1:9092']),
  clientId: env.str('KAFKA_CLIENT_ID', clientId),
});
export const databaseConfig = (env: EnvReader): DatabaseConfig => ({
  url: env.secret('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/onestop'),
});
export const redisConfig = (env: EnvReader): RedisConfig => ({
  url: env.str('REDIS_URL', 'redis://127.0.0.1:6379'),
});
export const httpConfig = (env: EnvReader, defaultPort: number): HttpConfig => ({
  host: env.str('HTTP_HOST', '127.0.0.1'),
  port: env.int('HTTP_PORT', defaultPort, 0, 65535),
  bodyLimitBytes: env.int('HTTP_BODY_LIMIT_BYTES', 1_048_576, 1024),
});
