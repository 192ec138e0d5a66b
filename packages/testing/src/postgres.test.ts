import { Client } from 'pg';
import { postgresUrl, startPostgres } from './postgres';

describe('startPostgres', () => {
  it('starts a server that answers queries, and removes it on stop', async () => {
    const pg = await startPostgres();
    const client = new Client({ connectionString: postgresUrl(pg) });
    await client.connect();
    const { rows } = await client.query('SELECT 1 + 1 AS two');
    await client.end();
    await pg.stop();
    expect(rows).toEqual([{ two: 2 }]);
    const again = new Client({ connectionString: postgresUrl(pg) });
    await expect(again.connect()).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  }, 60_000);

  it.each([
    [
      { host: '127.0.0.1', port: 5432, user: 'postgres' },
      'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable',
    ],
    [
      { host: 'db', port: 6543, user: 'a b', password: 'p@ss' },
      'postgres://a%20b:p%40ss@db:6543/postgres?sslmode=disable',
    ],
  ])('postgresUrl(%j)', (connection, url) => {
    expect(postgresUrl(connection)).toBe(url);
  });
});
