import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Postgres, startPostgres } from '@runway/testing';
import { Client } from 'pg';
import { lockConnection, StartupGate, STARTUP_LOCK_KEY } from './startupGate';

describe('lockConnection', () => {
  it.each([
    [
      'schema mode: the shared database',
      {
        client: 'pg',
        pluginDivisionMode: 'schema',
        connection: {
          host: 'db',
          port: 5432,
          user: 'app',
          password: 'p',
          database: 'app',
        },
      },
      { host: 'db', port: 5432, user: 'app', password: 'p', database: 'app' },
    ],
    [
      'database mode: the postgres database',
      { client: 'pg', connection: { host: 'db', user: 'backstage' } },
      { host: 'db', user: 'backstage', database: 'postgres' },
    ],
    [
      'a connection string',
      {
        client: 'pg',
        pluginDivisionMode: 'schema',
        connection: 'postgres://app:p@db:5432/app',
      },
      { connectionString: 'postgres://app:p@db:5432/app' },
    ],
  ])('%s', (_, database, expected) => {
    expect(lockConnection(new ConfigReader(database))).toEqual({
      ...expected,
      application_name: 'backstage_startup_lock',
    });
  });

  it.each([
    ['SQLite', { client: 'better-sqlite3', connection: ':memory:' }],
    [
      'a Cloud SQL connector',
      { client: 'pg', connection: { type: 'cloudsql', instance: 'p:r:i' } },
    ],
  ])('takes no lock for %s', (_, database) => {
    expect(lockConnection(new ConfigReader(database))).toBeUndefined();
  });
});

describe('StartupGate', () => {
  let pg: Postgres;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(() => pg.stop());

  const connection = () => ({
    host: pg.host,
    port: pg.port,
    user: pg.user,
    password: pg.password,
    database: 'postgres',
  });
  const logger = mockServices.logger.mock();

  it('lets one replica through at a time, the next once the first has started', async () => {
    const first = new StartupGate(connection(), logger);
    const second = new StartupGate(connection(), logger);
    const order: string[] = [];
    await first.pass();
    order.push('first passes');
    const waiting = second.pass().then(() => order.push('second passes'));
    await new Promise(r => setTimeout(r, 300));
    order.push('first released');
    await first.release();
    await waiting;
    await second.release();
    expect(order).toEqual(['first passes', 'first released', 'second passes']);
    expect(logger.info).toHaveBeenCalledWith(
      'Waiting for another replica to finish starting (startup lock)',
    );
  });

  it("does not block the starting replica's CREATE INDEX CONCURRENTLY while waiting", async () => {
    const first = new StartupGate(connection(), logger);
    const second = new StartupGate(connection(), logger);
    await first.pass();
    const waiting = second.pass();
    await new Promise(r => setTimeout(r, 200));
    // The first replica migrates: an index build waits for every open transaction.
    const migration = new Client(connection());
    await migration.connect();
    await migration.query("SET statement_timeout = '5s'");
    await migration.query('CREATE TABLE concurrently_indexed (id int)');
    // Blocked by the waiting replica, it would fail with the statement timeout instead.
    await expect(
      migration.query(
        'CREATE INDEX CONCURRENTLY concurrently_indexed_id ON concurrently_indexed (id)',
      ),
    ).resolves.toMatchObject({ command: 'CREATE' });
    await migration.end();
    await first.release();
    await waiting;
    await second.release();
  });

  it('frees the lock when a replica dies while starting (its connection goes)', async () => {
    const dying = new Client(connection());
    dying.on('error', () => {});
    await dying.connect();
    await dying.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
    const next = new StartupGate(connection(), logger);
    const passed = next.pass();
    // The process dies: its session ends without an unlock.
    (dying as any).connection.stream.destroy();
    await expect(passed).resolves.toBeUndefined();
    await next.release();
  });

  it('passes at once and takes nothing without a connection, or once released', async () => {
    await expect(
      new StartupGate(undefined, logger).pass(),
    ).resolves.toBeUndefined();
    const gate = new StartupGate(connection(), logger);
    await gate.release();
    await expect(gate.pass()).resolves.toBeUndefined();
  });
});
