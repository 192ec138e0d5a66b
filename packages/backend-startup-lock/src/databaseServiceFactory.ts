import { DatabaseManager } from '@backstage/backend-defaults/database';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { lockConnection, StartupGate } from './startupGate';

/**
 * The default database service (`@backstage/backend-defaults/database`), with one more
 * rule: a plugin's first database client waits until this replica holds the startup lock
 * (see StartupGate). So replicas started together (the first install, a scale-up, a node
 * replaced) run their plugins' migrations one replica after the other: knex's own
 * migration lock fails, or on a new database can even break, when two processes set up
 * the same schema at once.
 */
export const databaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
  },
  async createRootContext({ config, rootLifecycle, rootLogger }) {
    // As the default factory: without backend.database, in-memory SQLite.
    const databaseConfig = config.getOptional('backend.database')
      ? config
      : new ConfigReader({
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
        });
    const manager = DatabaseManager.fromConfig(databaseConfig, {
      rootLifecycle,
      rootLogger,
    });
    const gate = new StartupGate(
      lockConnection(databaseConfig.getConfig('backend.database')),
      rootLogger.child({ type: 'startupLock' }),
    );
    rootLifecycle.addStartupHook(() => gate.release());
    rootLifecycle.addShutdownHook(() => gate.release());
    return { manager, gate };
  },
  async factory({ pluginMetadata, lifecycle, logger }, { manager, gate }) {
    const database = manager.forPlugin(pluginMetadata.getId(), {
      lifecycle,
      logger,
    });
    return {
      ...database,
      async getClient() {
        await gate.pass();
        return database.getClient();
      },
    };
  },
});
