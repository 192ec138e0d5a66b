import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptsHtml,
  contentTypeOf,
  indexStaticFiles,
  negotiateEncoding,
  parseQualityList,
  type StaticIndex,
} from './static.ts';
import { createTestBuild, type TestBuild } from './testing.ts';

describe('indexStaticFiles', () => {
  let build: TestBuild;
  let index: StaticIndex;

  beforeAll(async () => {
    build = await createTestBuild();
    index = await indexStaticFiles(build.root);
  });

  afterAll(async () => {
    await build.cleanup();
  });

  it('lists the regular files by URL path, without the compressed copies or symlinks', () => {
    expect([...index.keys()].sort()).toEqual([
      '/assets/index-Bx3k9.js',
      '/assets/index-Qm7a1.css',
      '/favicon.svg',
      '/index.html',
    ]);
  });

  it('attaches the compressed copies to their file', () => {
    const js = index.get('/assets/index-Bx3k9.js');
    expect(Object.keys(js?.encoded ?? {}).sort()).toEqual(['br', 'gzip']);
    expect(js?.encoded.br?.path).toMatch(/index-Bx3k9\.js\.br$/);
    expect(js?.encoded.br?.etag).not.toBe(js?.etag);
    expect(index.get('/index.html')?.encoded).toEqual({});
  });

  it('records size, content type and a strong ETag', () => {
    const css = index.get('/assets/index-Qm7a1.css');
    expect(css).toMatchObject({ size: 'body{margin:0}'.length, contentType: 'text/css; charset=utf-8' });
    expect(css?.etag).toMatch(/^"[\w-]{27}"$/);
  });
});

describe('contentTypeOf', () => {
  it.each([
    ['/index.html', 'text/html; charset=utf-8'],
    ['/assets/a.JS', 'text/javascript; charset=utf-8'],
    ['/assets/font.woff2', 'font/woff2'],
    ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8'],
    ['/data.bin', 'application/octet-stream'],
    ['/README', 'application/octet-stream'],
  ])('%s → %s', (path, want) => {
    expect(contentTypeOf(path)).toBe(want);
  });
});

describe('negotiateEncoding', () => {
  const both = { br: 1, gzip: 1 };
  it.each([
    [undefined, both, undefined],
    ['', both, undefined],
    ['gzip, deflate, br, zstd', both, 'br'],
    ['gzip', both, 'gzip'],
    ['br;q=0, gzip', both, 'gzip'],
    ['BR', both, 'br'],
    ['*', both, 'br'],
    ['*;q=0', both, undefined],
    ['br', { gzip: 1 }, undefined],
    ['br, gzip', { gzip: 1 }, 'gzip'],
    ['identity', both, undefined],
    ['gzip, br', {}, undefined],
  ])('%j with %j → %j', (header, available, want) => {
    expect(negotiateEncoding(header, available)).toBe(want);
  });
});

describe('acceptsHtml', () => {
  it.each([
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['text/*', true],
    ['TEXT/HTML', true],
    ['application/json', false],
    ['*/*', false],
    ['text/html;q=0', false],
    ['image/avif,image/webp,*/*', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (header, want) => {
    expect(acceptsHtml(header)).toBe(want);
  });
});

describe('parseQualityList', () => {
  it('reads names and q values, clamped to 0..1', () => {
    expect(parseQualityList('a;q=0.5, B ; level=1 ;q=2, c;q=x, , d')).toEqual(
      new Map([
        ['a', 0.5],
        ['b', 1],
        ['c', 0],
        ['d', 1],
      ]),
    );
  });
});
