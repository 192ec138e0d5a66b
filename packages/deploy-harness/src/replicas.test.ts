/*
 * Two replicas of the production image on one PostgreSQL: the bundle unpacked as
 * deploy/Dockerfile does, started twice with app-config.production.yaml and NODE_ENV
 * production behind a load balancer that probes them with the chart's readiness settings.
 * Test-only overrides: the replicas' ports, guest sign-in, no TLS to the throwaway server,
 * a fake S3 endpoint, templates served from this checkout, and a test module (a scaffolder
 * action and a scheduled task that record what they do).
 *
 * The figures it measures are printed at the end (see the README's "Deploy Runway").
 */
import { freePort, startPostgres, Postgres } from '@runway/testing';
import { Client } from 'pg';
import { spawn } from 'node:child_process';
import http from 'node:http';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments, stringify } from 'yaml';
import {
  backendContainer,
  portalDeployment,
  productionConfig,
  productionValues,
  renderProductionChart,
  serverShutdownDelaySeconds,
} from './chart';
import { repoRoot } from './paths';
import { connectionBudget } from './productionChecks';
import { FakeS3 } from './testing/fakeS3';
import { LoadBalancer, ReadinessProbe } from './testing/loadBalancer';
import {
  findFiles,
  Instance,
  prepareProductionApp,
  ProductionApp,
} from './testing/productionApp';
import {
  TEST_ACTION_ID,
  TEST_SCHEDULE_SECONDS,
  TEST_SCHEMA,
} from './testing/replicaTestModule';

const NAMES = ['a', 'b'] as const;
/** A replica (a pod): a and b, and those a rolling update starts in their place. */
type Name = string;
const TASKS = 100;
/** The test template's steps, in order (each one the test action, sleeping delayMs). */
const STEPS = ['write', 'wait', 'read'];
const TEMPLATE_REF = 'template:default/runway-replica-test';
const BUCKET = 'runway-techdocs-test';
/** CloudNativePG's default max_connections, minus superuser_reserved_connections (3). */
const DATABASE_CONNECTIONS = 100 - 3;

const log = (message: string) =>
  process.stderr.write(
    `[replicas ${new Date().toISOString().slice(11, 19)}] ${message}\n`,
  );
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * A GET straight to one replica on a connection of its own (no keep-alive pool: a pooled
 * connection the server closes as idle at the moment it is reused fails the request, a
 * client-side race that says nothing about the replica).
 */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: () => any }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** The figures of the run, printed at the end. */
const figures: Record<string, string | number> = {};

describe('two replicas of the production image on one PostgreSQL', () => {
  let tmp: string;
  let app: ProductionApp;
  let pg: Postgres;
  let db: Client;
  let s3: FakeS3;
  let lb: LoadBalancer;
  let probe: ReadinessProbe;
  let gracePeriodSeconds: number;
  let maxSurge: number;
  let token: string;
  const instances = {} as Record<Name, Instance>;
  const ports = {} as Record<Name, number>;
  const generation = {} as Record<Name, number>;
  /** The test-only app-config overrides every replica shares; each adds its port. */
  let overrides: Record<string, unknown>;
  const databasePlugins = new Set<string>();
  /** The most database connections held at once: by the two replicas, and in the rolling update. */
  const peakConnections = { replicas: 0, rollingUpdate: 0 };
  let rollingUpdate = false;
  let sampler: NodeJS.Timeout | undefined;
  const role = `runway_replicas_${process.pid}`;
  /** When both replicas were first ready, by the database's clock. */
  let bothReadyAt: Date;

  const direct = (name: Name) => `http://127.0.0.1:${ports[name]}`;
  const authorized = () => ({ Authorization: `Bearer ${token}` });

  /** A new replica's port and its app-config overrides file. */
  async function configureReplica(name: Name): Promise<void> {
    ports[name] = await freePort();
    writeFileSync(
      join(tmp, `app-config.${name}.yaml`),
      stringify({
        ...overrides,
        backend: {
          // The string form, like app-config.production.yaml's ':7007'.
          listen: `127.0.0.1:${ports[name]}`,
          database: { connection: { ssl: false } },
        },
      }),
    );
  }

  function instance(name: Name): Instance {
    generation[name] = (generation[name] ?? 0) + 1;
    const created = new Instance({
      name,
      app,
      configFiles: [join(tmp, `app-config.${name}.yaml`)],
      env: productionEnvironment(name),
      preload: [join(app.dir, 'runway-test-hooks/preload.js')],
      logFile: join(tmp, 'logs', `${name}-${generation[name]}.log`),
    });
    instances[name] = created;
    return created;
  }

  /** The variables app-config.production.yaml reads, with test values, and the test module's. */
  function productionEnvironment(name: Name): Record<string, string> {
    return {
      APP_BASE_URL: lb.url,
      POSTGRES_HOST: pg.host,
      POSTGRES_PORT: String(pg.port),
      POSTGRES_USER: role,
      POSTGRES_PASSWORD: 'replica-test-password',
      POSTGRES_DB: role,
      // Unused: the override turns TLS off for the throwaway server.
      POSTGRES_CA: 'unused',
      GITHUB_TOKEN: 'test-github-token',
      RUNWAY_TEMPLATES_URL:
        'https://github.com/example-org/runway/blob/main/templates/location.yaml',
      AUTH_GITHUB_CLIENT_ID: 'test-client-id',
      AUTH_GITHUB_CLIENT_SECRET: 'test-client-secret',
      K8S_STAGING_URL: 'https://127.0.0.1:9',
      K8S_STAGING_CA_DATA: Buffer.from('test').toString('base64'),
      K8S_PRODUCTION_URL: 'https://127.0.0.1:9',
      K8S_PRODUCTION_CA_DATA: Buffer.from('test').toString('base64'),
      ARGOCD_URL: 'http://127.0.0.1:9',
      ARGOCD_AUTH_TOKEN: 'test-argocd-token',
      TECHDOCS_S3_BUCKET: BUCKET,
      AWS_REGION: 'eu-west-1',
      // The pod's IAM role in production; static test keys here (the fake checks the signature's presence).
      AWS_ACCESS_KEY_ID: 'AKIATESTTESTTESTTEST',
      AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
      AWS_EC2_METADATA_DISABLED: 'true',
      RUNWAY_TEST_INSTANCE: name,
      LOG_LEVEL: 'info',
    };
  }

  async function query<T = any>(sql: string, params: unknown[] = []) {
    return (await db.query(sql, params)).rows as T[];
  }

  /** Restarts of a replica that exited while starting, as the kubelet does them. */
  const startupRestarts: string[] = [];

  /** The knex migration locks that are taken, as schema.table. */
  async function lockedMigrations(): Promise<string[]> {
    const tables = await query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_name LIKE '%migrations_lock'`,
    );
    const locked: string[] = [];
    for (const { schema, name } of tables) {
      const rows = await query(`SELECT is_locked FROM "${schema}"."${name}"`);
      if (rows.some(r => Number(r.is_locked) === 1))
        locked.push(`${schema}.${name}`);
    }
    return locked;
  }

  async function startBoth(): Promise<void> {
    for (const name of NAMES) {
      lb.remove(name);
      instance(name).start();
      lb.add(name, direct(name));
    }
    await Promise.all(NAMES.map(name => waitUntilReady(name)));
  }

  async function waitUntilReady(name: Name): Promise<void> {
    const started = Date.now();
    const deadline = started + 300_000;
    while (!lb.isReady(name)) {
      const exited = instances[name].exitCode;
      if (exited !== null && exited !== undefined) {
        // restartPolicy: Always. A replica whose start fails exits (packages/backend) and the
        // kubelet starts it again; the startup lock is there so that this never happens.
        const reason =
          instances[name]
            .output()
            .match(/Plugin '(\w+)' threw an error during startup[^"]*/)?.[0] ??
          `exit code ${exited}`;
        startupRestarts.push(`${name}: ${reason}`);
        log(
          `replica ${name} exited while starting (${reason}); locked migrations: ${
            (await lockedMigrations()).join(', ') || 'none'
          }; restarting it`,
        );
        if (startupRestarts.length > 3) {
          throw new Error(
            `replica ${name} keeps failing to start:\n${instances[name]
              .output()
              .slice(-6000)}`,
          );
        }
        instance(name).start();
      }
      if (Date.now() > deadline) {
        throw new Error(
          `replica ${name} not ready after 300 s:\n${instances[name]
            .output()
            .slice(-6000)}`,
        );
      }
      await sleep(250);
    }
    log(
      `replica ${name} ready after ${((Date.now() - started) / 1000).toFixed(
        1,
      )} s`,
    );
  }

  async function signIn(base: string): Promise<string> {
    const res = await get(`${base}/api/auth/guest/refresh?env=production`);
    expect(res.status).toBe(200);
    const body = res.json();
    return body.backstageIdentity.token;
  }

  async function submitTasks(
    count: number,
    delayMs: number,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${lb.url}/api/scaffolder/v2/tasks`, {
        method: 'POST',
        headers: { ...authorized(), 'Content-Type': 'application/json' },
        body: JSON.stringify({
          templateRef: TEMPLATE_REF,
          values: { delayMs },
        }),
      });
      expect(res.status).toBe(201);
      ids.push((await res.json()).id);
    }
    return ids;
  }

  async function taskStatuses(ids: string[]) {
    return query<{ id: string; status: string }>(
      'SELECT id, status FROM scaffolder.tasks WHERE id = ANY($1)',
      [ids],
    );
  }

  async function waitForTasks(ids: string[], timeoutMs: number) {
    return waitFor(
      `${ids.length} tasks to finish`,
      timeoutMs,
      async () => {
        const rows = await taskStatuses(ids);
        const done = rows.filter(r =>
          ['completed', 'failed', 'cancelled'].includes(r.status),
        );
        return done.length === ids.length ? rows : undefined;
      },
      250,
    );
  }

  /** Per task: its completion events, its attempts per step and instance, its effects. */
  async function executions(ids: string[]) {
    const events = await query<{
      task_id: string;
      event_type: string;
      body: string;
      created_at: Date;
    }>(
      'SELECT task_id, event_type, body, created_at FROM scaffolder.task_events WHERE task_id = ANY($1) ORDER BY id',
      [ids],
    );
    const attempts = await query<{
      task_id: string;
      step: string;
      instance: string;
      at: Date;
    }>(
      `SELECT task_id, step, instance, at FROM ${TEST_SCHEMA}.attempts WHERE task_id = ANY($1) ORDER BY id`,
      [ids],
    );
    const effects = await query<{
      task_id: string;
      step: string;
      instance: string;
    }>(
      `SELECT task_id, step, instance FROM ${TEST_SCHEMA}.effects WHERE task_id = ANY($1)`,
      [ids],
    );
    return { events, attempts, effects };
  }

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'runway-replicas-'));
    log(`working folder ${tmp}`);

    // The chart's settings, as Kubernetes would apply them.
    const deployment = portalDeployment(await renderProductionChart());
    const readiness = backendContainer(deployment).readinessProbe;
    probe = {
      path: readiness.httpGet.path,
      periodSeconds: readiness.periodSeconds,
      timeoutSeconds: readiness.timeoutSeconds,
      failureThreshold: readiness.failureThreshold,
      successThreshold: readiness.successThreshold ?? 1,
    };
    gracePeriodSeconds =
      deployment.spec.template.spec.terminationGracePeriodSeconds;
    maxSurge = deployment.spec.strategy.rollingUpdate.maxSurge;

    const started = Date.now();
    app = prepareProductionApp(tmp, step => log(step.slice(0, 120)));
    figures['production install (deps stage), s'] = Math.round(
      (Date.now() - started) / 1000,
    );

    // One PostgreSQL: a database owned by a role without CREATEDB, as CloudNativePG makes it.
    pg = await startPostgres();
    const admin = new Client({ ...pg, database: 'postgres' });
    await admin.connect();
    await admin.query(
      `CREATE ROLE ${role} LOGIN PASSWORD 'replica-test-password' NOSUPERUSER NOCREATEDB NOCREATEROLE`,
    );
    await admin.query(`CREATE DATABASE ${role} OWNER ${role}`);
    await admin.end();
    db = new Client({
      host: pg.host,
      port: pg.port,
      user: role,
      password: 'replica-test-password',
      database: role,
    });
    await db.connect();
    await db.query(`CREATE SCHEMA ${TEST_SCHEMA}`);
    await db.query(`
      CREATE TABLE ${TEST_SCHEMA}.attempts (
        id bigserial PRIMARY KEY, task_id text NOT NULL, step text NOT NULL,
        instance text NOT NULL, at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE ${TEST_SCHEMA}.effects (
        task_id text NOT NULL, step text NOT NULL, instance text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (task_id, step));
      CREATE TABLE ${TEST_SCHEMA}.scheduled_runs (
        id bigserial PRIMARY KEY, instance text NOT NULL,
        started_at timestamptz NOT NULL, finished_at timestamptz);
      CREATE TABLE ${TEST_SCHEMA}.events (
        id bigserial PRIMARY KEY, task_id text NOT NULL, published_by text NOT NULL,
        received_by text NOT NULL, at timestamptz NOT NULL DEFAULT now());`);

    s3 = new FakeS3(BUCKET);
    const s3Url = await s3.start();
    lb = new LoadBalancer(probe);
    await lb.start();

    // The test module, loaded into each replica before the backend starts.
    const hooks = join(app.dir, 'runway-test-hooks');
    mkdirSync(hooks, { recursive: true });
    const source = readFileSync(
      join(__dirname, 'testing/replicaTestModule.ts'),
      'utf8',
    );
    writeFileSync(
      join(hooks, 'module.js'),
      ts.transpileModule(source, {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
        },
      }).outputText,
    );
    writeFileSync(
      join(hooks, 'preload.js'),
      [
        "const defaults = require('@backstage/backend-defaults');",
        "const testModule = require('./module.js').default;",
        'const createBackend = defaults.createBackend;',
        'defaults.createBackend = (...args) => {',
        '  const backend = createBackend(...args);',
        '  backend.add(testModule);',
        '  return backend;',
        '};',
        '',
      ].join('\n'),
    );

    // A template of three fast, idempotent steps that pass a workspace file along.
    const templateFile = join(tmp, 'replica-test-template.yaml');
    writeFileSync(
      templateFile,
      stringify({
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name: 'runway-replica-test', title: 'Replica test' },
        spec: {
          owner: 'group:default/platform-team',
          type: 'test',
          parameters: [
            {
              properties: { delayMs: { type: 'number' } },
              required: ['delayMs'],
            },
          ],
          steps: STEPS.map(step => ({
            id: step,
            name: step,
            action: TEST_ACTION_ID,
            input: { step, delayMs: '${{ parameters.delayMs }}' },
          })),
          output: { marker: '${{ steps.read.output.marker }}' },
        },
      }),
    );

    const locations = [
      ...productionConfig().catalog.locations,
      { type: 'file', target: templateFile, rules: [{ allow: ['Template'] }] },
    ];
    overrides = {
      auth: {
        providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
      },
      runway: {
        localCheckout: {
          enabled: true,
          url: 'https://github.com/example-org/runway',
          path: repoRoot,
        },
      },
      techdocs: {
        publisher: { awsS3: { endpoint: s3Url, s3ForcePathStyle: true } },
      },
      catalog: { locations },
    };
    for (const name of NAMES) await configureReplica(name);

    // Which plugins hold connections, and how many at most: sampled all along.
    sampler = setInterval(async () => {
      try {
        const rows = await query<{ name: string; n: string }>(
          `SELECT application_name AS name, count(*) AS n FROM pg_stat_activity
           WHERE datname = $1 AND application_name LIKE 'backstage_plugin_%' GROUP BY 1`,
          [role],
        );
        let total = 0;
        for (const row of rows) {
          databasePlugins.add(row.name.replace('backstage_plugin_', ''));
          total += Number(row.n);
        }
        const phase = rollingUpdate ? 'rollingUpdate' : 'replicas';
        peakConnections[phase] = Math.max(peakConnections[phase], total);
      } catch {
        // the database is shutting down
      }
    }, 1000);

    const startedReplicas = Date.now();
    await startBoth();
    figures['start of two replicas, s'] = Math.round(
      (Date.now() - startedReplicas) / 1000,
    );
    [{ now: bothReadyAt }] = await query<{ now: Date }>('SELECT now()');
    figures['restarts while starting together'] =
      startupRestarts.length === 0 ? 'none' : startupRestarts.join('; ');
    token = await signIn(direct('a'));
  }, 900_000);

  afterAll(async () => {
    clearInterval(sampler);
    log(
      `figures:\n${Object.entries(figures)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join('\n')}`,
    );
    await Promise.all(Object.values(instances).map(i => i.stop()));
    await lb?.stop();
    await s3?.stop();
    await db?.end().catch(() => {});
    await pg?.stop();
    if (tmp && !process.env.KEEP_REPLICA_TEST) {
      // The unpacked image is some 100 000 files: deleting them takes minutes on a slow
      // disk, so a detached rm does it after the suite.
      spawn('rm', ['-rf', tmp], { detached: true, stdio: 'ignore' }).unref();
    } else if (tmp) {
      log(`kept ${tmp} (logs in ${join(tmp, 'logs')})`);
    }
  }, 120_000);

  it('starts both replicas together on an empty database without a failed start (startup lock)', () => {
    expect(startupRestarts).toEqual([]);
  });

  it('runs what the image carries: production dependencies only, no SQLite, no native build tooling', () => {
    const present = (path: string) => existsSync(join(app.dir, path));
    expect(present('node_modules/better-sqlite3')).toBe(false);
    expect(present('node_modules/@backstage/cli')).toBe(false);
    expect(present('node_modules/@backstage/backend-test-utils')).toBe(false);
    // Nothing was compiled: no addon (.node file; some packages name folders *.node) and
    // no node-gyp build output. (Yarn lists the node-gyp package itself for the optional
    // addons of ssh2 and nan, whose build scripts never run: enableScripts is false.)
    const built = findFiles(app.dir, /(\.node$|(^|\/)build\/Release$)/).filter(
      file =>
        !statSync(join(app.dir, file)).isDirectory() ||
        file.endsWith('build/Release'),
    );
    expect(built).toEqual([]);
    expect(present('packages/app/dist/index.html')).toBe(true);
    expect(present('packages/backend/dist/index.cjs.js')).toBe(true);
    expect(app.env).toEqual({ NODE_ENV: 'production' });
  });

  it('both replicas are ready, and read TechDocs from S3 with the AWS SDK', async () => {
    for (const name of NAMES) {
      const res = await get(`${direct(name)}/.backstage/health/v1/readiness`);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      expect(instances[name].output()).toContain(
        `Successfully connected to the AWS S3 bucket ${BUCKET}`,
      );
      expect(instances[name].output()).toContain(
        `runway-replica-test module ready on instance ${name}`,
      );
    }
    const heads = s3.requests.filter(r => r.method === 'HEAD');
    expect(heads.length).toBeGreaterThanOrEqual(2);
    expect(heads.every(r => r.signed && r.path === `/${BUCKET}`)).toBe(true);
  });

  it('serves the same catalog from both replicas, and accepts on each a token the other issued', async () => {
    const tokenOfB = await signIn(direct('b'));
    const expected = [
      'catalog-info.yaml',
      'catalog/org.yaml',
      'catalog/example-system.yaml',
    ]
      .flatMap(file =>
        parseAllDocuments(readFileSync(join(repoRoot, file), 'utf8')).map(d =>
          d.toJS(),
        ),
      )
      .filter(e => e?.kind && e.kind !== 'Location')
      .map(e =>
        `${e.kind}:${e.metadata.namespace ?? 'default'}/${
          e.metadata.name
        }`.toLowerCase(),
      )
      .concat([TEMPLATE_REF, 'template:default/ts-service']);

    const catalogOf = async (name: Name, bearer: string) => {
      const res = await get(
        `${direct(
          name,
        )}/api/catalog/entities?fields=kind,metadata.namespace,metadata.name`,
        { Authorization: `Bearer ${bearer}` },
      );
      expect(res.status).toBe(200);
      const entities: any[] = res.json();
      return entities
        .map(e =>
          `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase(),
        )
        .sort();
    };
    const [a, b] = await waitFor(
      'the catalog on both replicas',
      180_000,
      async () => {
        // A's token on B and B's token on A.
        const lists = [
          await catalogOf('a', tokenOfB),
          await catalogOf('b', token),
        ];
        return expected.every(ref => lists[0].includes(ref)) &&
          lists[0].join() === lists[1].join()
          ? lists
          : undefined;
      },
      2000,
    );
    expect(a).toEqual(b);
    figures['catalog entities (both replicas)'] = a.length;
  }, 240_000);

  let firstBatch: string[];

  it(`runs ${TASKS} tasks submitted alternately through the load balancer, each exactly once; their events reach both replicas`, async () => {
    const served = lb.served();
    const started = Date.now();
    firstBatch = await submitTasks(TASKS, 100);
    const submitted = lb.served();
    // Round robin: the submissions alternated between the replicas.
    expect(submitted.a - served.a).toBe(TASKS / 2);
    expect(submitted.b - served.b).toBe(TASKS / 2);
    const rows = await waitForTasks(firstBatch, 300_000);
    const seconds = (Date.now() - started) / 1000;
    expect(rows.filter(r => r.status !== 'completed')).toEqual([]);

    const { events, attempts, effects } = await executions(firstBatch);
    for (const id of firstBatch) {
      const completions = events.filter(
        e => e.task_id === id && e.event_type === 'completion',
      );
      expect(completions).toHaveLength(1);
      // The read step found the file the write step left in the workspace.
      expect(JSON.parse(completions[0].body).output).toEqual({ marker: id });
      expect(attempts.filter(a => a.task_id === id).map(a => a.step)).toEqual([
        'write',
        'wait',
        'read',
      ]);
      // One replica ran the whole task.
      expect(
        new Set(attempts.filter(a => a.task_id === id).map(a => a.instance))
          .size,
      ).toBe(1);
    }
    expect(effects).toHaveLength(TASKS * 3);
    const byInstance = (name: Name) =>
      new Set(attempts.filter(a => a.instance === name).map(a => a.task_id))
        .size;
    // Both replicas' task workers took tasks from the shared queue.
    expect(byInstance('a')).toBeGreaterThan(0);
    expect(byInstance('b')).toBeGreaterThan(0);
    // The event each write step published reached both replicas' subscriptions, whichever
    // replica published it.
    const received = await waitFor(
      'events on both replicas',
      60_000,
      async () => {
        const found = await query<{
          task_id: string;
          published_by: string;
          received_by: string;
        }>(
          `SELECT task_id, published_by, received_by FROM ${TEST_SCHEMA}.events WHERE task_id = ANY($1)`,
          [firstBatch],
        );
        return found.length >= TASKS * 2 ? found : undefined;
      },
    );
    for (const id of firstBatch) {
      expect(
        received
          .filter(r => r.task_id === id)
          .map(r => r.received_by)
          .sort(),
      ).toEqual(['a', 'b']);
    }
    expect(received.filter(r => r.published_by !== r.received_by).length).toBe(
      TASKS,
    );
    figures[`${TASKS} tasks (3 steps of 100 ms) on two replicas, s`] =
      seconds.toFixed(1);
    figures['task throughput, tasks/s'] = (TASKS / seconds).toFixed(1);
    figures['tasks run by replica a / b'] = `${byInstance('a')} / ${byInstance(
      'b',
    )}`;
  }, 360_000);

  it('runs a global scheduled task on one replica per interval, not on each', async () => {
    // Every run since both replicas were up, until now (database clock).
    const [{ now }] = await query<{ now: Date }>('SELECT now()');
    const runs = await query<{
      instance: string;
      started_at: Date;
      finished_at: Date | null;
    }>(
      `SELECT instance, started_at, finished_at FROM ${TEST_SCHEMA}.scheduled_runs
       WHERE started_at >= $1 ORDER BY started_at`,
      [bothReadyAt],
    );
    const show = () =>
      runs
        .map(
          r =>
            `${
              r.instance
            } ${r.started_at.toISOString()}..${r.finished_at?.toISOString()}`,
        )
        .join('\n');
    const window = (now.getTime() - bothReadyAt.getTime()) / 1000;
    const slots = Math.floor(window / TEST_SCHEDULE_SECONDS);
    // One run per slot of the schedule, and a late slot runs at once (Backstage's
    // next run is the last slot plus the frequency, or now): at most one more run than
    // slots. Two replicas running it each would start twice as many.
    expect({ runs: runs.length <= slots + 1, all: show() }).toEqual({
      runs: true,
      all: show(),
    });
    expect(runs.length).toBeGreaterThanOrEqual(Math.floor(slots / 2));
    // Never two at once.
    for (let i = 1; i < runs.length; i++) {
      expect({
        overlap: runs[i].started_at < runs[i - 1].finished_at!,
        all: show(),
      }).toEqual({
        overlap: false,
        all: show(),
      });
    }
    figures[
      `scheduled task every ${TEST_SCHEDULE_SECONDS} s over ${window.toFixed(
        0,
      )} s: runs by replica a / b`
    ] = `${runs.filter(r => r.instance === 'a').length} / ${
      runs.filter(r => r.instance === 'b').length
    }`;
  });

  const RECOVERY_LOG =
    /^Task recovered - resuming from last known good state\. (\d+) step\(s\) already completed\.$/;

  it(`kill -9 of a replica while tasks run: the survivor completes all ${TASKS}, each once`, async () => {
    const batch = await submitTasks(TASKS, 1500);
    try {
      // Kill replica a once it is in the middle of several tasks, some of them past their
      // first step (saved as done, so b resumes them after it). Every step takes delayMs:
      // right after a claims its first tasks, all of them are still in their first step.
      await waitFor(
        'replica a to run tasks',
        120_000,
        async () => {
          const [{ running, resumable }] = await query<{
            running: string;
            resumable: string;
          }>(
            `SELECT count(DISTINCT t.task_id) AS running,
                    count(DISTINCT t.task_id) FILTER (WHERE t.step <> 'write') AS resumable
             FROM ${TEST_SCHEMA}.attempts t
             WHERE t.instance = 'a' AND t.task_id = ANY($1)
               AND NOT EXISTS (SELECT 1 FROM ${TEST_SCHEMA}.effects f
                               WHERE f.task_id = t.task_id AND f.step = 'read')`,
            [batch],
          );
          return Number(running) >= 5 && Number(resumable) >= 2
            ? true
            : undefined;
        },
        200,
      );
      instances.a.signal('SIGKILL');
      expect(await instances.a.waitForExit(10_000)).not.toBeUndefined();
      // Once a is gone, by the database's clock (the attempts' clock): a write a had sent
      // before the kill may commit just after the signal.
      const [{ now: killedAt }] = await query<{ now: Date }>('SELECT now()');
      log('replica a killed (SIGKILL)');

      const rows = await waitForTasks(batch, 420_000);
      const recoveredIn = (Date.now() - killedAt.getTime()) / 1000;
      expect(rows.filter(r => r.status !== 'completed')).toEqual([]);

      const { events, attempts, effects } = await executions(batch);
      const onA = new Set(
        attempts.filter(a => a.instance === 'a').map(a => a.task_id),
      );
      const recovered = new Set(
        events.filter(e => e.event_type === 'recovered').map(e => e.task_id),
      );
      // Replica a ran nothing after it was killed.
      expect(
        attempts.filter(a => a.instance === 'a' && a.at > killedAt),
      ).toEqual([]);
      // Every task a had started and not finished when it was killed was recovered and
      // finished by b: a kill after a task's last step but before its completion was saved
      // leaves it to b too. A task a had claimed but not yet begun (killed between the claim
      // and its first step's attempt row) is recovered as well: no attempt before the kill.
      const completedBeforeKill = new Set(
        events
          .filter(
            e => e.event_type === 'completion' && e.created_at <= killedAt,
          )
          .map(e => e.task_id),
      );
      const interrupted = [...onA].filter(id => !completedBeforeKill.has(id));
      expect(interrupted.length).toBeGreaterThan(0);
      const claimedOnly = [...recovered].filter(
        id =>
          !interrupted.includes(id) &&
          !attempts.some(a => a.task_id === id && a.at <= killedAt),
      );
      expect([...recovered].sort()).toEqual(
        [...interrupted, ...claimedOnly].sort(),
      );
      // Per task, what went wrong (nothing, when recovery works): one list to compare.
      const violations: string[] = [];
      let recoveryLogs = 0;
      for (const id of batch) {
        const taskEvents = events.filter(e => e.task_id === id);
        const completions = taskEvents.filter(
          e => e.event_type === 'completion',
        );
        if (completions.length !== 1) {
          violations.push(`${id}: ${completions.length} completions`);
          continue;
        }
        // The file of the write step reached the read step, across replicas when recovered.
        const output = JSON.parse(completions[0].body).output;
        if (output?.marker !== id) {
          violations.push(`${id}: output ${JSON.stringify(output)}`);
        }
        const steps = attempts.filter(a => a.task_id === id);
        if (!recovered.has(id)) {
          const order = steps.map(a => a.step).join(',');
          if (order !== STEPS.join(',')) {
            violations.push(`${id}: not recovered, ran ${order}`);
          }
          continue;
        }
        const completedOnA = STEPS.filter(step =>
          effects.some(
            f => f.task_id === id && f.step === step && f.instance === 'a',
          ),
        );
        const logs = taskEvents
          .filter(e => e.event_type === 'log')
          .map(e => JSON.parse(e.body).message as string);
        // Backstage saves a step as done after its action returned. A kill between a step's
        // effect and that save leaves the step undone for b, which runs it again (at least
        // once, as a checkpoint can promise; its effect is not repeated, asserted below). So
        // the saved count is what a completed, or one less; the steps saved must not re-run.
        // Backstage logs the recovery only when it had saved a step (none saved: no log).
        const saved = logs
          .map(message => message.match(RECOVERY_LOG))
          .find(match => match)?.[1];
        const savedSteps = saved === undefined ? 0 : Number(saved);
        if (saved !== undefined) recoveryLogs++;
        if (
          completedOnA.length > 0 &&
          savedSteps !== completedOnA.length &&
          savedSteps !== completedOnA.length - 1
        ) {
          violations.push(
            `${id}: ${completedOnA.length} step(s) done on a, but ${savedSteps} saved as done`,
          );
          continue;
        }
        // b resumed it: the steps a completed were skipped, the interrupted one re-ran (none
        // when a was killed after saving its last step, before saving the task's completion).
        if (savedSteps < STEPS.length && !steps.some(a => a.instance === 'b')) {
          violations.push(
            `${id}: recovered with ${savedSteps} step(s) saved, but b ran none of its steps`,
          );
        }
        for (const step of completedOnA.slice(0, savedSteps)) {
          if (steps.some(a => a.step === step && a.instance === 'b')) {
            violations.push(
              `${id}: step ${step}, saved as done on a, re-ran on b`,
            );
          }
        }
      }
      expect(violations).toEqual([]);
      expect(recoveryLogs).toBeGreaterThan(0);
      // Each step's effect happened once, whichever replica ran it and however often.
      expect(effects).toHaveLength(TASKS * 3);
      figures['tasks interrupted by kill -9 and recovered by the survivor'] =
        recovered.size;
      figures['kill -9 until every task completed, s'] = recoveredIn.toFixed(1);
      figures['of those, claimed by a but not begun'] = claimedOnly.length;
    } finally {
      // Kubernetes would start a new pod: start a again, also when an assertion failed,
      // so the tests after this one find two replicas.
      instances.a.signal('SIGKILL'); // nothing, when it is gone already
      await instances.a.waitForExit(10_000);
      instance('a').start();
      lb.remove('a');
      lb.add('a', direct('a'));
      await waitUntilReady('a');
    }
  }, 600_000);

  it('loses no request in a rolling update under load: each replica in turn replaced by a new one, and stopped (SIGTERM) only once that one is ready', async () => {
    const delay = serverShutdownDelaySeconds(productionConfig());
    // The chart's strategy (maxSurge 1, maxUnavailable 0), as the Deployment controller runs
    // it: one new replica at a time, the old one stopped once the new one is ready.
    expect(maxSurge).toBe(1);
    let running = true;
    const results = { ok: 0, failed: [] as string[] };
    const paths = [
      '/api/catalog/entities?limit=5&fields=metadata.name',
      '/',
      '/api/scaffolder/v2/actions',
    ];
    const loop = async (worker: number) => {
      let i = worker;
      while (running) {
        const path = paths[i++ % paths.length];
        try {
          const res = await fetch(`${lb.url}${path}`, {
            headers: authorized(),
          });
          await res.arrayBuffer();
          if (res.status >= 200 && res.status < 300) results.ok++;
          else results.failed.push(`${res.status} ${path}`);
        } catch (error) {
          results.failed.push(`${String(error)} ${path}`);
        }
      }
    };
    // The replicas in the load balancer's rotation, sampled all along.
    const ready: number[] = [];
    const counting = setInterval(() => ready.push(lb.ready().length), 100);
    rollingUpdate = true;
    const started = Date.now();
    const workers = Array.from({ length: 4 }, (_, w) => loop(w));
    await sleep(3000);
    const replaced: string[] = [];
    try {
      for (const name of NAMES) {
        const next = `${name}2`;
        await configureReplica(next);
        const starting = Date.now();
        instance(next).start();
        lb.add(next, direct(next));
        await waitUntilReady(next);
        const readyIn = (Date.now() - starting) / 1000;
        const stopping = Date.now();
        instances[name].signal('SIGTERM');
        const code = await instances[name].waitForExit(
          gracePeriodSeconds * 1000,
        );
        // Kubernetes would SIGKILL it at the end of the grace period.
        expect({ name, exitedInGracePeriod: code !== undefined }).toEqual({
          name,
          exitedInGracePeriod: true,
        });
        const stopped = (Date.now() - stopping) / 1000;
        expect(stopped).toBeGreaterThanOrEqual(delay);
        lb.remove(name);
        replaced.push(
          `${name} by ${next}: ready in ${readyIn.toFixed(
            1,
          )} s, then ${name} stopped in ${stopped.toFixed(1)} s`,
        );
        await sleep(2000);
      }
    } finally {
      // Also when a step failed: the loops and the sampler end with the test.
      running = false;
      await Promise.all(workers);
      clearInterval(counting);
      rollingUpdate = false;
    }
    const seconds = (Date.now() - started) / 1000;
    expect(results.failed).toEqual([]);
    expect(results.ok).toBeGreaterThan(100);
    // maxUnavailable 0: never fewer replicas in rotation than before; maxSurge 1: one more.
    expect({
      fewest: Math.min(...ready),
      most: Math.max(...ready),
    }).toEqual({ fewest: NAMES.length, most: NAMES.length + maxSurge });
    figures[
      'rolling update: requests / failed'
    ] = `${results.ok} / ${results.failed.length}`;
    figures['rolling update: duration, s; requests/s'] = `${seconds.toFixed(
      0,
    )}; ${(results.ok / seconds).toFixed(0)}`;
    figures['rolling update: replicas replaced'] = replaced.join('; ');
  }, 900_000);

  it("keeps the database connections of the most replicas the chart allows within CloudNativePG's limit", () => {
    const values = productionValues();
    const plugins = [...databasePlugins].sort();
    // Every plugin that keeps data opened a pool.
    expect(plugins).toEqual(
      expect.arrayContaining(['auth', 'catalog', 'scaffolder', 'search']),
    );
    const budget = connectionBudget({
      config: productionConfig(),
      plugins,
      maxReplicas: values.autoscaling.maxReplicas,
      // The Deployment's rollout starts this many extra replicas first.
      maxSurge,
    });
    expect(budget.total).toBeLessThanOrEqual(DATABASE_CONNECTIONS);
    // The budget is a model: what the replicas held, sampled all along, stays within it.
    const budgetOf = (replicas: number) =>
      connectionBudget({
        config: productionConfig(),
        plugins,
        maxReplicas: replicas,
        maxSurge: 0,
      }).total;
    expect(peakConnections.replicas).toBeGreaterThan(0);
    expect(peakConnections.replicas).toBeLessThanOrEqual(
      budgetOf(NAMES.length),
    );
    expect(peakConnections.rollingUpdate).toBeGreaterThan(0);
    expect(peakConnections.rollingUpdate).toBeLessThanOrEqual(
      budgetOf(NAMES.length + maxSurge),
    );
    figures['plugins with a database pool'] = plugins.join(', ');
    figures[
      'connections: peak of two replicas / of three (rolling update) / budget per replica / budget at maxReplicas+1'
    ] = `${peakConnections.replicas} / ${peakConnections.rollingUpdate} / ${budget.perReplica} / ${budget.total}`;
  });
});
