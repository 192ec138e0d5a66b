/*
 * Two backends ("replicas") started at the same moment on one empty PostgreSQL database,
 * as a Deployment's first rollout or a restore starts them: the database configured as in
 * app-config.production.yaml (one database, a schema per plugin) and the real catalog and
 * scaffolder plugins, whose migrations run at start (the catalog's include
 * non-transactional ones: CREATE INDEX CONCURRENTLY). Used by bench/replicaStarts.ts (with
 * and without the startup lock); its database configuration by databaseServiceFactory.test.ts.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Postgres } from '@runway/testing';
import { Client } from 'pg';
import { databaseServiceFactory } from '../databaseServiceFactory';

export type ReplicaStart = {
  /** Each replica's startup error, or undefined when it started. */
  errors: Array<string | undefined>;
  /** From the first start to the last replica started (or failed), in seconds. */
  seconds: number;
  /** knex migration lock tables left locked, as schema.table. */
  lockedMigrations: string[];
};

/** The backend's configuration as in app-config.production.yaml, on `database` of `pg`. */
export function backendConfig(pg: Postgres, database: string) {
  return {
    backend: {
      baseUrl: 'http://localhost:7007',
      database: {
        client: 'pg',
        pluginDivisionMode: 'schema',
        ensureExists: false,
        ensureSchemaExists: true,
        connection: {
          host: pg.host,
          port: pg.port,
          user: pg.user,
          password: pg.password,
          database,
        },
      },
    },
  };
}

async function lockedMigrations(
  pg: Postgres,
  database: string,
): Promise<string[]> {
  const client = new Client({ ...pg, database });
  await client.connect();
  try {
    const tables = await client.query(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_name LIKE '%migrations_lock'`,
    );
    const locked: string[] = [];
    for (const { schema, name } of tables.rows) {
      const rows = await client.query(
        `SELECT is_locked FROM "${schema}"."${name}"`,
      );
      if (rows.rows.some(r => Number(r.is_locked) === 1)) {
        locked.push(`${schema}.${name}`);
      }
    }
    return locked;
  } finally {
    await client.end();
  }
}

/** Starts two replicas together on a new database `database`; stops them again. */
export async function startTwoReplicas(
  pg: Postgres,
  database: string,
  options: { startupLock: boolean },
): Promise<ReplicaStart> {
  const admin = new Client({ ...pg, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();

  const start = () =>
    startTestBackend({
      features: [
        ...(options.startupLock ? [databaseServiceFactory] : []),
        mockServices.rootConfig.factory({
          data: backendConfig(pg, database),
        }),
        import('@backstage/plugin-catalog-backend'),
        import('@backstage/plugin-scaffolder-backend'),
      ],
    });
  const started = Date.now();
  const results = await Promise.allSettled([start(), start()]);
  const seconds = (Date.now() - started) / 1000;
  await Promise.all(
    results.map(r => (r.status === 'fulfilled' ? r.value.stop() : undefined)),
  );
  return {
    errors: results.map(r =>
      r.status === 'rejected'
        ? String(r.reason?.message ?? r.reason).split('\n')[0]
        : undefined,
    ),
    seconds,
    lockedMigrations: await lockedMigrations(pg, database),
  };
}
