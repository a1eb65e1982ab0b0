import {
  DataSource,
  DefaultNamingStrategy,
  type DataSourceOptions,
  type EntitySchema,
  type MigrationInterface,
  type NamingStrategyInterface,
} from 'typeorm';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeORM's own entity target type
type EntityTarget = new (...args: any[]) => unknown;

/** snake_case tables and columns, so SQL written by hand (relays, reports) reads naturally. */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override tableName(targetName: string, userSpecifiedName: string | undefined): string {
    return userSpecifiedName ?? toSnake(targetName);
  }
  override columnName(propertyName: string, customName: string | undefined, prefixes: string[]): string {
    return toSnake(prefixes.concat(customName ?? propertyName).join('_'));
  }
  override relationName(propertyName: string): string {
    return toSnake(propertyName);
  }
  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return toSnake(`${relationName}_${referencedColumnName}`);
  }
}

export function toSnake(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

export interface PostgresOptions {
  url: string;
  /** The service's own schema; created by its first migration. */
  schema: string;
  entities: (EntityTarget | EntitySchema | string)[];
  migrations: (string | (new () => MigrationInterface))[];
  applicationName: string;
  poolSize?: number;
  logging?: boolean;
}

/** TypeORM options shared by every service: migrations only (never synchronize), snake_case names. */
export function postgresDataSourceOptions(o: PostgresOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: o.url,
    schema: o.schema,
    entities: o.entities,
    migrations: o.migrations,
    migrationsTableName: `${o.schema}_migrations`,
    migrationsRun: false,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: o.applicationName,
    logging: o.logging ? ['error', 'warn', 'migration'] : ['error'],
    extra: { max: o.poolSize ?? 10, connectionTimeoutMillis: 5000 },
  };
}

/** Initialises a data source and applies pending migrations (transaction per migration). */
export async function openAndMigrate(options: DataSourceOptions): Promise<DataSource> {
  const ds = new DataSource(options);
  await ds.initialize();
  await ds.query(`CREATE SCHEMA IF NOT EXISTS "${String((options as { schema?: string }).schema ?? 'public')}"`);
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

/**
 * Fails when the entities and the migrations disagree (the drift check): TypeORM's schema builder lists
 * the SQL it would run to make the database match the entities; after all migrations it must be empty.
 */
export async function pendingSchemaChanges(ds: DataSource): Promise<string[]> {
  const sql = await ds.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}
