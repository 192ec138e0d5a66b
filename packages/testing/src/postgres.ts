import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

/** How to reach a PostgreSQL server, in the shape of Backstage's `backend.database.connection`. */
export type PostgresConnection = {
  host: string;
  port: number;
  user: string;
  password?: string;
};

export type Postgres = PostgresConnection & { stop(): Promise<void> };

/** The folder with initdb and pg_ctl: the newest Debian-installed server, else PATH. */
function postgresBinDir(): string {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter(v => existsSync(join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(debian, versions[0], 'bin');
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) return pgConfig.stdout.trim();
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package "postgresql" or set DATABASE_URL',
  );
}

/** util-linux's runuser: on PATH, or in the sbin folders a non-login PATH may lack. */
function findRunuser(): string {
  const dirs = [
    ...(process.env.PATH ?? '').split(':').filter(Boolean),
    '/usr/sbin',
    '/sbin',
  ];
  const found = dirs
    .map(dir => join(dir, 'runuser'))
    .find(path => existsSync(path));
  if (!found) {
    throw new Error(
      'runuser not found (util-linux): as root, initdb and postgres must run as the postgres user; set DATABASE_URL instead',
    );
  }
  return found;
}

/**
 * Starts a throwaway PostgreSQL server (initdb + pg_ctl on a free loopback port, trust auth),
 * or uses the server in DATABASE_URL when that is set. initdb and postgres refuse to run as
 * root, so as root they run as the `postgres` user on a folder it owns.
 */
export async function startPostgres(): Promise<Postgres> {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    return {
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password) || undefined,
      stop: async () => {},
    };
  }

  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'runway-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres'], {
      encoding: 'utf8',
    }).trim();
    const gid = execFileSync('id', ['-g', 'postgres'], {
      encoding: 'utf8',
    }).trim();
    chownSync(dir, Number(ids), Number(gid));
    chmodSync(dir, 0o700);
  }
  const runuser = asRoot ? findRunuser() : '';
  const run = (cmd: string, args: string[]) =>
    execFileSync(
      asRoot ? runuser : join(bin, cmd),
      asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args,
      { stdio: 'pipe', encoding: 'utf8' },
    );

  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    'start',
  ]);

  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    stop: async () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A libpq URL for a connection, e.g. for DATABASE_URL. */
export function postgresUrl(
  c: PostgresConnection,
  database = 'postgres',
): string {
  const auth = c.password
    ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}`
    : encodeURIComponent(c.user);
  return `postgres://${auth}@${c.host}:${c.port}/${database}?sslmode=disable`;
}
