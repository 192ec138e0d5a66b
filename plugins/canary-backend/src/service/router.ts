import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import { spec } from '../schema/openapi';
import { CanaryStatusService } from './CanaryStatusService';

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  status: CanaryStatusService;
}): Promise<express.Router> {
  const { httpAuth, catalog, status } = options;
  const router = createValidatedOpenApiRouter(spec);

  router.get('/entities/:namespace/:kind/:name', async (req, res) => {
    const { namespace, kind, name } = req.params;
    const ref = stringifyEntityRef({ kind, namespace, name });
    // The catalog answers only what the caller may read: unknown and forbidden look alike.
    const entity = await catalog.getEntityByRef(ref, {
      credentials: await httpAuth.credentials(req),
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${ref}, or you may not read it`);
    }
    res.json(await status.getStatus(entity));
  });

  return router;
}
