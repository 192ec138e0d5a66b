import { Client } from 'pg';
import { expect, test } from './fixtures';

test('the catalog is stored in PostgreSQL', async ({
  backend,
  postgres,
  request,
}) => {
  expect(postgres).toBeDefined();
  // Wait until the catalog has processed the example system (api.spec.ts asserts it over HTTP).
  const client = new Client({
    ...postgres!,
    database: `${backend.databasePrefix}catalog`,
  });
  await client.connect();
  try {
    await expect
      .poll(
        async () => {
          const { rows } = await client.query<{ entity_ref: string }>(
            "SELECT entity_ref FROM refresh_state WHERE entity_ref IN ('component:default/orders-api', 'component:default/storefront') ORDER BY entity_ref",
          );
          return rows.map(r => r.entity_ref);
        },
        { timeout: 60_000 },
      )
      .toEqual([
        'component:default/orders-api',
        'component:default/storefront',
      ]);
    const { rows } = await client.query<{ count: string }>(
      'SELECT count(*) FROM final_entities WHERE final_entity IS NOT NULL',
    );
    expect(Number(rows[0].count)).toBeGreaterThan(5);
  } finally {
    await client.end();
  }
  // Readiness still holds on PostgreSQL.
  expect((await request.get('/.backstage/health/v1/readiness')).status()).toBe(
    200,
  );
});
