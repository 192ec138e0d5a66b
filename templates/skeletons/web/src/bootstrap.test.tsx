import { act, screen } from '@testing-library/react';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_NAME } from './App';
import { start } from './bootstrap';
import { jsonResponse, mockFetch } from './test/fetch';

let container: HTMLElement;
let root: Root | undefined;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});

afterEach(() => {
  act(() => root?.unmount());
  container.remove();
});

async function startWith(routes: Parameters<typeof mockFetch>[0]) {
  const fetchFn = mockFetch(routes);
  await act(async () => {
    root = await start(container, fetchFn);
  });
  return fetchFn;
}

describe('start', () => {
  it('loads /config.json, then renders the app against its apiBaseUrl', async () => {
    await startWith({
      'GET /config.json': () =>
        jsonResponse({ environment: 'staging', apiBaseUrl: '/backend', version: 'abc123' }),
      'GET /backend/items?limit=100': () =>
        jsonResponse({ items: [{ id: 1, name: 'apple', createdAt: '2030-01-02T03:04:05Z' }] }),
    });

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(APP_NAME);
    expect(screen.getByTitle('Environment')).toHaveTextContent('staging');
    expect(screen.getByRole('contentinfo')).toHaveTextContent('Version abc123');
    expect(await screen.findByRole('list', { name: 'Items' })).toHaveTextContent('apple');
  });

  it('does not label production', async () => {
    await startWith({
      'GET /config.json': () => jsonResponse({ environment: 'production', apiBaseUrl: '/api', version: '1' }),
      'GET /api/items?limit=100': () => jsonResponse({ items: [] }),
    });
    expect(screen.queryByTitle('Environment')).not.toBeInTheDocument();
  });

  it('explains why the app cannot start without its configuration', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await startWith({ 'GET /config.json': () => new Response('', { status: 404 }) });

    expect(screen.getByRole('alert')).toHaveTextContent(
      'The app could not start/config.json could not be loaded: HTTP 404Reload the page to try again.',
    );
    expect(consoleError).toHaveBeenCalled();
    consoleError.mockRestore();
  });
});
