import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CanaryHealthResponse,
  CanaryStatusResponse,
  DatabaseStatusResponse,
  PromotionResponse,
  PromotionStatusResponse,
  RolloutActionResponse,
} from '@runway/plugin-canary-common';
import { CanaryApi, RolloutActionRequest } from './CanaryApi';

/**
 * The default {@link CanaryApi}: calls the `canary` backend plugin through the
 * app's discovery and fetch APIs (the fetch API adds the user's token).
 *
 * @public
 */
export class CanaryClient implements CanaryApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getStatus(entityRef: CompoundEntityRef): Promise<CanaryStatusResponse> {
    return this.request(entityRef, '');
  }

  getDatabaseStatus(
    entityRef: CompoundEntityRef,
  ): Promise<DatabaseStatusResponse> {
    return this.request(entityRef, '/databases');
  }

  getHealth(entityRef: CompoundEntityRef): Promise<CanaryHealthResponse> {
    return this.request(entityRef, '/health');
  }

  runRolloutAction(
    request: RolloutActionRequest,
  ): Promise<RolloutActionResponse> {
    const suffix = [
      'clusters',
      request.cluster,
      'rollouts',
      request.namespace,
      request.rollout,
      request.action,
    ]
      .map(segment => encodeURIComponent(segment))
      .join('/');
    return this.request(request.entityRef, `/${suffix}`, { method: 'POST' });
  }

  getPromotion(entityRef: CompoundEntityRef): Promise<PromotionStatusResponse> {
    return this.request(entityRef, '/promotion');
  }

  promoteToProduction(
    entityRef: CompoundEntityRef,
    commit: string,
  ): Promise<PromotionResponse> {
    return this.request(entityRef, '/promotion', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ commit }),
    });
  }

  private async request<T>(
    entityRef: CompoundEntityRef,
    suffix: string,
    init?: RequestInit,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('canary');
    const path = [entityRef.namespace, entityRef.kind, entityRef.name]
      .map(segment => encodeURIComponent(segment))
      .join('/');
    const response = await this.fetchApi.fetch(
      `${baseUrl}/entities/${path}${suffix}`,
      init,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
