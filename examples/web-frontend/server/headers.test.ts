import { describe, expect, it } from 'vitest';
import { cacheControlFor, contentSecurityPolicy, securityHeaders } from './headers.ts';

describe('cacheControlFor', () => {
  it.each([
    ['/assets/index-Bx3k9.js', 'public, max-age=31536000, immutable'],
    ['/assets/logo-9f8e7d.svg', 'public, max-age=31536000, immutable'],
    ['/index.html', 'no-cache'],
    ['/favicon.svg', 'no-cache'],
    ['/robots.txt', 'no-cache'],
    ['/assets-old/x.js', 'no-cache'],
  ])('%s → %s', (path, want) => {
    expect(cacheControlFor(path)).toBe(want);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows this origin only by default', () => {
    expect(contentSecurityPolicy()).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  it('lets the app call an API on another origin', () => {
    expect(contentSecurityPolicy('https://api.example.com')).toContain(
      "connect-src 'self' https://api.example.com;",
    );
  });
});

describe('securityHeaders', () => {
  it('forbids sniffing, framing and powerful features', () => {
    expect(securityHeaders()).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    expect(securityHeaders()['Permissions-Policy']).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
  });
});
