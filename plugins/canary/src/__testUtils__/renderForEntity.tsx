import type { ReactElement } from 'react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { SWRConfig } from 'swr';
import { CanaryApi, canaryApiRef } from '../api';
import { annotatedEntity } from './fixtures';

/** A CanaryApi whose every method is a jest.fn: `methods` where given, else answering undefined. */
export function mockCanaryApi(
  methods: Partial<CanaryApi> = {},
): jest.Mocked<CanaryApi> {
  return {
    getStatus: jest.fn(methods.getStatus),
    getDatabaseStatus: jest.fn(methods.getDatabaseStatus),
    getHealth: jest.fn(methods.getHealth),
    runRolloutAction: jest.fn(methods.runRolloutAction),
    getPromotion: jest.fn(methods.getPromotion),
    promoteToProduction: jest.fn(methods.promoteToProduction),
  };
}

/**
 * Renders `element` for the annotated entity with `api` and a permission API that allows
 * the permissions `allow` names; usePermission's decisions (SWR) cached per render.
 */
export async function renderForEntity(
  element: ReactElement,
  options: { api: CanaryApi; allow: (permission: string) => boolean },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [canaryApiRef, options.api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: req =>
              options.allow(req.permission.name)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          }),
        ],
      ]}
    >
      {/* usePermission caches decisions (SWR): a fresh cache per test */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={annotatedEntity}>{element}</EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
}
