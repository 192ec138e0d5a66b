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
import { RolloutActionService } from './rollouts/RolloutActionService';
import { CanaryHealthService } from './prometheus/CanaryHealthService';
import { PromotionService } from './promotion/PromotionService';
import type { RolloutAction } from '@runway/plugin-canary-common';

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  status: CanaryStatusService;
  databases: DatabaseStatusService;
  rolloutActions: RolloutActionService;
  health: CanaryHealthService;
  promotion: PromotionService;
}): Promise<express.Router> {
  const {
    httpAuth,
    catalog,
    status,
    databases,
    rolloutActions,
    health,
    promotion,
  } = options;
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

  router.get('/entities/:namespace/:kind/:name/health', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await health.getHealth(await entityOf(req.params, credentials)));
  });

  router.get('/entities/:namespace/:kind/:name/promotion', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await promotion.status(await entityOf(req.params, credentials)));
  });

  router.post(
    '/entities/:namespace/:kind/:name/promotion',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      res.json(
        await promotion.promote({
          entity: await entityOf(req.params, credentials),
          credentials,
          commit: req.body.commit,
          request: req,
        }),
      );
    },
  );

  router.post(
    '/entities/:namespace/:kind/:name/clusters/:cluster/rollouts/:rolloutNamespace/:rollout/:action',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      const { namespace, kind, name } = req.params;
      const { cluster, rolloutNamespace, rollout, action } = req.params;
      res.json(
        await rolloutActions.run({
          entity: await entityOf({ namespace, kind, name }, credentials),
          credentials,
          cluster,
          namespace: rolloutNamespace,
          rollout,
          // One of the enum the OpenAPI spec validates.
          action: action as RolloutAction,
          request: req,
        }),
      );
    },
  );

  return router;
}
