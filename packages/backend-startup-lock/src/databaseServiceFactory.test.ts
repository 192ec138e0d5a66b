import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Postgres, startPostgres } from '@runway/testing';
import { backendConfig } from './__testUtils__/replicaStarts';
import { databaseServiceFactory } from './databaseServiceFactory';

/**
 * Two backends on one database, started together, each with a plugin whose first database
 * client runs a slow "migration": the second runs only after the first backend started.
 */
describe('databaseServiceFactory', () => {
  let pg: Postgres;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(() => pg.stop());

  function backend(name: string, spans: Record<string, [number, number]>) {
    const plugin = createBackendPlugin({
      pluginId: 'migrating',
      register(env) {
        env.registerInit({
          deps: { database: coreServices.database },
          async init({ database }) {
            const knex = await database.getClient();
            const start = Date.now();
            await knex.raw('SELECT pg_sleep(0.5)');
            spans[name] = [start, Date.now()];
          },
        });
      },
    });
    return startTestBackend({
      features: [
        databaseServiceFactory,
        mockServices.rootConfig.factory({
          data: backendConfig(pg, 'postgres'),
        }),
        plugin,
      ],
    });
  }

  it("runs the replicas' plugin start-ups one replica after the other", async () => {
    const spans: Record<string, [number, number]> = {};
    const [a, b] = await Promise.all([
      backend('a', spans),
      backend('b', spans),
    ]);
    const [first, second] = Object.values(spans).sort((x, y) => x[0] - y[0]);
    expect(second[0]).toBeGreaterThanOrEqual(first[1]);
    await Promise.all([a.stop(), b.stop()]);
  }, 60_000);
});
