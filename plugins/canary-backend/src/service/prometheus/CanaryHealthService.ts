import type { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  CanaryHealthResponse,
  CanaryRelease,
  ClusterHealth,
  HEALTH_WINDOW,
  ReleaseHealth,
  releaseHealthTargets,
  trackHealthQueries,
} from '@runway/plugin-canary-common';
import type { CanaryStatusService } from '../CanaryStatusService';
import { instantQuery, PrometheusEndpoint } from './PrometheusClient';

/** Results are reused this long per release, so a busy page does not multiply queries. */
export const HEALTH_CACHE_TTL_MS = 15_000;
const DEFAULT_TIMEOUT_SECONDS = 5;

/**
 * Each cluster's Prometheus from `canary.prometheus.<cluster>`: `url`, an optional
 * `authorization` header value (secret) and `timeoutSeconds` (default 5, at most 30).
 */
export function readPrometheusEndpoints(
  config: Config,
): Map<string, PrometheusEndpoint> {
  const section = config.getOptionalConfig('canary.prometheus');
  const endpoints = new Map<string, PrometheusEndpoint>();
  for (const cluster of section?.keys() ?? []) {
    const key = `canary.prometheus.${cluster}`;
    const c = section!.getConfig(cluster);
    const url = c.getString('url');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`${key}.url must be an http(s) URL, got "${url}"`);
    }
    if (!['http:', 'https:'].includes(parsed.protocol)) {
      throw new Error(`${key}.url must be an http(s) URL, got "${url}"`);
    }
    const timeout =
      c.getOptionalNumber('timeoutSeconds') ?? DEFAULT_TIMEOUT_SECONDS;
    if (!(timeout > 0 && timeout <= 30)) {
      throw new Error(
        `${key}.timeoutSeconds must be more than 0 and at most 30, got ${timeout}`,
      );
    }
    endpoints.set(cluster, {
      url,
      authorization: c.getOptionalString('authorization'),
      timeoutMs: timeout * 1000,
    });
  }
  return endpoints;
}

type CacheEntry = { expires: number; value: Promise<ReleaseHealth> };

/**
 * Live health per track (request rate, success rate, p99 latency over 5 minutes) of an
 * entity's releases, from each cluster's Prometheus with the AnalysisTemplates' queries.
 * A cluster without Prometheus is `not-configured`; one whose Prometheus fails or is too
 * slow is `unavailable` — neither fails the answer.
 */
export class CanaryHealthService {
  readonly #cache = new Map<string, CacheEntry>();

  constructor(
    private readonly options: {
      status: Pick<CanaryStatusService, 'getStatus'>;
      endpoints: Map<string, PrometheusEndpoint>;
      cacheTtlMs?: number;
      now?: () => number;
    },
  ) {}

  async getHealth(entity: Entity): Promise<CanaryHealthResponse> {
    const status = await this.options.status.getStatus(entity);
    const clusters = await Promise.all(
      status.clusters.map(
        async ({ cluster, releases }): Promise<ClusterHealth> => {
          const endpoint = this.options.endpoints.get(cluster);
          if (!endpoint) {
            return { cluster, prometheus: 'not-configured', releases: [] };
          }
          try {
            return {
              cluster,
              prometheus: 'ok',
              releases: await Promise.all(
                releases.map(r => this.#releaseHealth(cluster, endpoint, r)),
              ),
            };
          } catch (error) {
            return {
              cluster,
              prometheus: 'unavailable',
              message: (error as Error).message,
              releases: [],
            };
          }
        },
      ),
    );
    return { entityRef: status.entityRef, window: HEALTH_WINDOW, clusters };
  }

  #releaseHealth(
    cluster: string,
    endpoint: PrometheusEndpoint,
    release: CanaryRelease,
  ): Promise<ReleaseHealth> {
    const { namespace, virtualService } = release;
    const targets = releaseHealthTargets(release);
    if (typeof targets === 'string') {
      return Promise.resolve({
        namespace,
        virtualService,
        tracks: [],
        unmeasured: targets,
      });
    }
    const now = this.options.now?.() ?? Date.now();
    const key = JSON.stringify([cluster, namespace, virtualService, targets]);
    const cached = this.#cache.get(key);
    if (cached && cached.expires > now) return cached.value;
    for (const [k, entry] of this.#cache) {
      if (entry.expires <= now) this.#cache.delete(k);
    }
    const notices = new Set<string>();
    const measure = async (query: string) => {
      const result = await instantQuery(endpoint, query);
      result.notices.forEach(n => notices.add(n));
      return result.value;
    };
    const value = Promise.all(
      targets.map(async ({ track, target }) => {
        const queries = trackHealthQueries(target);
        const [requestRate, successRate, latencyP99Ms] = await Promise.all([
          measure(queries.requestRate),
          measure(queries.successRate),
          measure(queries.latencyP99Ms),
        ]);
        return { track, ...target, requestRate, successRate, latencyP99Ms };
      }),
    ).then(
      (tracks): ReleaseHealth => ({
        namespace,
        virtualService,
        tracks,
        // What Prometheus said about the figures (e.g. "synthetic"), once each, in a stable order.
        ...(notices.size > 0 && { notices: [...notices].sort() }),
      }),
    );
    // Failures are kept for the same time: a failing Prometheus is not asked again at once.
    value.catch(() => undefined);
    this.#cache.set(key, {
      expires:
        now +
        Math.min(
          this.options.cacheTtlMs ?? HEALTH_CACHE_TTL_MS,
          HEALTH_CACHE_TTL_MS,
        ),
      value,
    });
    return value;
  }
}
