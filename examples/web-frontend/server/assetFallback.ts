/**
 * During a canary two builds serve the same site, and each request may reach
 * either: an index.html of one build names hashed assets that only that build
 * has. A server that lacks such an asset fetches it from the other track's
 * pods (the chart sets ASSET_FALLBACK_ORIGINS to both tracks' Services), so a
 * page of either build always loads.
 */

/** Marks a request as a fallback fetch: it is answered locally, never forwarded again. */
export const FALLBACK_HEADER = 'x-asset-fallback';

/** Assets larger than this are not relayed (Vite's chunks are far smaller). */
export const MAX_ASSET_BYTES = 20 * 1024 * 1024;

export interface FallbackAsset {
  body: Buffer;
  contentType: string;
  /** The origin that had it. */
  origin: string;
}

export type AssetFallback = (path: string) => Promise<FallbackAsset | undefined>;

/**
 * Asks each origin in turn for the asset (GET origin + path, with the fallback
 * header so that a server lacking it too answers 404 instead of asking on);
 * resolves the first 200, or undefined when none has it or none answers in
 * time.
 */
export function createAssetFallback(
  origins: readonly string[],
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): AssetFallback {
  const timeoutMs = options.timeoutMs ?? 2000;
  const get = options.fetch ?? fetch;
  return async path => {
    for (const origin of origins) {
      try {
        const res = await get(new URL(path, origin), {
          headers: { [FALLBACK_HEADER]: '1', 'accept-encoding': 'identity' },
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
        const length = Number(res.headers.get('content-length') ?? '0');
        if (res.status !== 200 || length > MAX_ASSET_BYTES) {
          await res.body?.cancel();
          continue;
        }
        const body = Buffer.from(await res.arrayBuffer());
        if (body.length > MAX_ASSET_BYTES) continue;
        return {
          body,
          contentType: res.headers.get('content-type') ?? 'application/octet-stream',
          origin,
        };
      } catch {
        // Unreachable, too slow or refused: try the next origin.
      }
    }
    return undefined;
  };
}
