import { test as base } from '@playwright/test';
import { Backend, startBackend } from './support/backend';
import { Postgres, startPostgres } from './support/postgres';

export type DatabaseMode = 'sqlite' | 'postgres';

type WorkerFixtures = {
  /** Which database the backend runs on: set per Playwright project. */
  database: DatabaseMode;
  postgres: Postgres | undefined;
  backend: Backend;
};

/**
 * One real backend per worker (and so per project): on in-memory SQLite, or on a throwaway
 * PostgreSQL server (or DATABASE_URL). Tests get its URL as `baseURL`.
 */
export const test = base.extend<{}, WorkerFixtures>({
  database: ['sqlite', { option: true, scope: 'worker' }],
  postgres: [
    async ({ database }, use) => {
      if (database !== 'postgres') {
        await use(undefined);
        return;
      }
      const pg = await startPostgres();
      await use(pg);
      await pg.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  backend: [
    async ({ postgres }, use) => {
      const backend = await startBackend({ database: postgres });
      await use(backend);
      await backend.stop();
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  baseURL: async ({ backend }, use) => use(backend.baseURL),
});

export { expect } from '@playwright/test';
