import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Client, ClientConfig } from 'pg';

/**
 * The advisory lock key of a backend's start (pg_advisory_lock takes a bigint): the same
 * for every replica of the portal on one database.
 */
export const STARTUP_LOCK_KEY = 0x52756e77; // "Runw"
const POLL_INTERVAL_MS = 500;

/**
 * Where the replicas meet to take the lock: `backend.database.connection`, in its database
 * when plugins divide one database by schema (the replicas' shared database), else in
 * `postgres` (advisory locks belong to a database). Undefined when there is nothing to
 * serialize: not PostgreSQL, or a connection type (Cloud SQL, Azure, RDS IAM) this cannot
 * open on its own.
 */
export function lockConnection(database: Config): ClientConfig | undefined {
  if (database.getOptionalString('client') !== 'pg') return undefined;
  const connection = database.getOptional('connection');
  const base: Record<string, unknown> =
    typeof connection === 'string'
      ? { connectionString: connection }
      : { ...(connection as Record<string, unknown> | undefined) };
  if (base.type !== undefined && base.type !== 'default') return undefined;
  delete base.type;
  if (database.getOptionalString('pluginDivisionMode') !== 'schema') {
    base.database = 'postgres';
  }
  return {
    ...(base as ClientConfig),
    application_name: 'backstage_startup_lock',
  };
}

/**
 * Lets one replica at a time through its start. The first database client a plugin asks
 * for takes a session advisory lock on its own connection (waiting while another replica
 * holds it); the backend releases it once every plugin has started. A replica that dies
 * while starting loses its connection and with it the lock, so nothing is ever left
 * locked, unlike a lock row in a table.
 */
export class StartupGate {
  readonly #connection?: ClientConfig;
  readonly #logger: LoggerService;
  #client?: Client;
  #passing?: Promise<void>;
  #released = false;

  constructor(connection: ClientConfig | undefined, logger: LoggerService) {
    this.#connection = connection;
    this.#logger = logger;
  }

  /** Resolves once this replica holds the lock, or right away when there is none to take. */
  pass(): Promise<void> {
    if (!this.#connection || this.#released) return Promise.resolve();
    this.#passing ??= this.#take(this.#connection);
    return this.#passing;
  }

  async #take(connection: ClientConfig): Promise<void> {
    const client = new Client(connection);
    this.#client = client;
    // A dropped connection frees the lock on the server; nothing to do here but say so.
    client.on('error', error =>
      this.#logger.warn(`Startup lock connection lost: ${error.message}`),
    );
    await client.connect();
    const tryLock = async () =>
      (
        await client.query('SELECT pg_try_advisory_lock($1) AS taken', [
          STARTUP_LOCK_KEY,
        ])
      ).rows[0].taken as boolean;
    if (await tryLock()) return;
    this.#logger.info(
      'Waiting for another replica to finish starting (startup lock)',
    );
    const started = Date.now();
    // Polls rather than blocking in pg_advisory_lock: a blocked statement keeps a snapshot
    // open, and the starting replica's migrations (CREATE INDEX CONCURRENTLY) would wait
    // for it, a deadlock PostgreSQL cannot see.
    while (!(await tryLock())) {
      await new Promise(resolve => setTimeout(resolve, POLL_INTERVAL_MS));
    }
    this.#logger.info(
      `Took the startup lock after ${((Date.now() - started) / 1000).toFixed(
        1,
      )} s`,
    );
  }

  /** Lets the other replicas start: the lock and its connection go. */
  async release(): Promise<void> {
    this.#released = true;
    const client = this.#client;
    this.#client = undefined;
    if (!client) return;
    try {
      await this.#passing;
      await client.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]);
    } catch {
      // The connection is gone already, and the lock with it.
    } finally {
      await client.end().catch(() => {});
    }
  }
}
