/**
 * Response headers: caching rules and the security headers sent with every
 * response.
 */

/** Vite writes content-hashed file names under /assets/: they never change. */
export const ASSETS_PREFIX = '/assets/';

export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
/** Stored, but revalidated (ETag) before every use: deploys show at once. */
export const CACHE_REVALIDATE = 'no-cache';
export const CACHE_NEVER = 'no-store';

/**
 * The Cache-Control of a file of the build: hashed assets are cached for a
 * year; everything else (index.html, favicon, robots.txt, ...) is revalidated,
 * because its name stays the same from one release to the next.
 */
export function cacheControlFor(urlPath: string): string {
  return urlPath.startsWith(ASSETS_PREFIX) ? CACHE_IMMUTABLE : CACHE_REVALIDATE;
}

/**
 * The Content-Security-Policy for the built app: scripts, styles, fonts and
 * images from this origin only (images and fonts may also be data: URLs, which
 * Vite uses to inline small assets), API calls to this origin and, when
 * PUBLIC_API_BASE_URL names another one, to that origin. No inline scripts,
 * no plugins, no framing.
 */
export function contentSecurityPolicy(extraConnectOrigin?: string): string {
  const connect = extraConnectOrigin ? `'self' ${extraConnectOrigin}` : `'self'`;
  return [
    `default-src 'self'`,
    `script-src 'self'`,
    `style-src 'self'`,
    `img-src 'self' data:`,
    `font-src 'self' data:`,
    `connect-src ${connect}`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

/** Headers sent with every response. */
export function securityHeaders(extraConnectOrigin?: string): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(extraConnectOrigin),
    'X-Content-Type-Options': 'nosniff',
    // Older browsers that ignore CSP frame-ancestors.
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy':
      'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
