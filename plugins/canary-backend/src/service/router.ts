import {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import { spec } from '../schema/openapi';
import { CanaryStatusService } from './CanaryStatusService';
import { DatabaseStatusService } from './DatabaseStatusService';

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  status: CanaryStatusService;
  databases: DatabaseStatusService;
}): Promise<express.Router> {
  const { httpAuth, catalog, status, databases } = options;
  const router = createValidatedOpenApiRouter(spec);

  /** The entity of the path, as the caller may read it: unknown and forbidden look alike (404). */
  async function entityOf(
    params: { namespace: string; kind: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const ref = stringifyEntityRef(params);
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${ref}, or you may not read it`);
    }
    return entity;
  }

  router.get('/entities/:namespace/:kind/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await status.getStatus(await entityOf(req.params, credentials)));
  });

  router.get('/entities/:namespace/:kind/:name/databases', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(
      await databases.getStatus(await entityOf(req.params, credentials)),
    );
  });

  return router;
}
