import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';

/**
 * Transactions on the TypeORM DataSource's own pg pool. TypeORM owns the connection, the migrations and the
 * entities; the write path talks to the pool directly (plain parameterised SQL, one client per transaction)
 * because it is the hot path and needs `RETURNING` rows exactly as Postgres returns them.
 */
@Injectable()
export class SqlExecutor {
  private readonly pool: Pool;

  constructor(@Inject(DataSource) readonly dataSource: DataSource) {
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
  }

  async query<R extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  /**
   * Like `tx`, but `work` sends the BEGIN itself, in front of its first statement (one round trip instead of two;
   * see `DossierRepository.claimBatch`). Any failure, including one before the BEGIN ran, ends in ROLLBACK.
   */
  async txBegunByWork<T>(work: (c: PoolClient) => Promise<T>): Promise<T> {
    return this.tx(work, false);
  }

  async tx<T>(work: (c: PoolClient) => Promise<T>, begin = true): Promise<T> {
    const c = await this.pool.connect();
    // A backend killed while the client is checked out emits 'error' on the client (the pool only listens
    // while it is idle); without a listener that would crash the process. The failed query rejects anyway.
    let broken = false;
    const onError = (): void => {
      broken = true;
    };
    c.on('error', onError);
    try {
      if (begin) await c.query('BEGIN');
      const out = await work(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.off('error', onError);
      c.release(broken); // a broken connection is destroyed, not returned to the pool
    }
  }
}
