import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { deferred, jsonResponse, mockFetch } from '../test/fetch';
import { createItemsClient } from './api';
import { ItemsPage } from './ItemsPage';

const LIST = 'GET /api/items?limit=100';
const CREATE = 'POST /api/items';
const APPLE = { id: 1, name: 'apple', createdAt: '2030-01-02T03:04:05Z' };
const PEAR = { id: 2, name: 'pear', createdAt: '2030-01-03T03:04:05Z' };

function renderPage(routes: Parameters<typeof mockFetch>[0]) {
  const fetchFn = mockFetch(routes);
  render(<ItemsPage client={createItemsClient('/api', fetchFn)} />);
  return { fetchFn, user: userEvent.setup() };
}

describe('ItemsPage', () => {
  it('shows a loading state, then the items', async () => {
    const list = deferred<Response>();
    renderPage({ [LIST]: () => list.promise });

    expect(screen.getByRole('status')).toHaveTextContent('Loading items…');
    list.resolve(jsonResponse({ items: [APPLE, PEAR] }));

    const items = within(await screen.findByRole('list', { name: 'Items' })).getAllByRole('listitem');
    expect(items.map(item => item.querySelector('.item-name')?.textContent)).toEqual(['apple', 'pear']);
    expect(items[0]?.querySelector('time')).toHaveAttribute('datetime', APPLE.createdAt);
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('says so when there are no items', async () => {
    renderPage({ [LIST]: () => jsonResponse({ items: [] }) });
    expect(await screen.findByText('No items yet. Add the first one below.')).toBeInTheDocument();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('notes that only the first 100 items are shown', async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ ...APPLE, id: i + 1 }));
    renderPage({ [LIST]: () => jsonResponse({ items }) });
    expect(await screen.findByText('Showing the first 100 items.')).toBeInTheDocument();
  });

  it('shows an error with a retry that loads the items again', async () => {
    let calls = 0;
    const { user } = renderPage({
      [LIST]: () => {
        calls += 1;
        return calls === 1
          ? jsonResponse({ error: 'database unavailable' }, 503)
          : jsonResponse({ items: [APPLE] });
      },
    });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the items. database unavailable');

    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('list', { name: 'Items' })).toHaveTextContent('apple');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(calls).toBe(2);
  });

  it('adds an item and clears the form', async () => {
    const created = deferred<Response>();
    const { user, fetchFn } = renderPage({
      [LIST]: () => jsonResponse({ items: [APPLE] }),
      [CREATE]: () => created.promise,
    });
    await screen.findByRole('list', { name: 'Items' });

    const input = screen.getByLabelText('Name');
    await user.type(input, '  pear ');
    await user.click(screen.getByRole('button', { name: 'Add item' }));

    // While the request runs, the button cannot submit again.
    expect(screen.getByRole('button', { name: 'Adding…' })).toBeDisabled();
    expect(fetchFn).toHaveBeenLastCalledWith(
      '/api/items',
      expect.objectContaining({ body: '{"name":"pear"}' }),
    );

    created.resolve(jsonResponse(PEAR, 201));

    expect(await screen.findByText('pear')).toBeInTheDocument();
    expect(within(screen.getByRole('list', { name: 'Items' })).getAllByRole('listitem')).toHaveLength(2);
    expect(input).toHaveValue('');
    expect(input).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Add item' })).toBeEnabled();
  });

  it('adds the first item to an empty list', async () => {
    const { user } = renderPage({
      [LIST]: () => jsonResponse({ items: [] }),
      [CREATE]: () => jsonResponse(APPLE, 201),
    });
    await screen.findByText('No items yet. Add the first one below.');

    await user.type(screen.getByLabelText('Name'), 'apple{Enter}');

    expect(await screen.findByRole('list', { name: 'Items' })).toHaveTextContent('apple');
  });

  it('shows the error of the API and keeps what was typed', async () => {
    const { user } = renderPage({
      [LIST]: () => jsonResponse({ items: [] }),
      [CREATE]: () => jsonResponse({ error: 'name is already taken' }, 409),
    });
    await screen.findByText('No items yet. Add the first one below.');

    const input = screen.getByLabelText('Name');
    await user.type(input, 'apple');
    await user.click(screen.getByRole('button', { name: 'Add item' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('name is already taken');
    expect(input).toHaveValue('apple');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('Up to 200 characters. name is already taken');
  });

  it('checks the name before calling the API', async () => {
    const { user, fetchFn } = renderPage({ [LIST]: () => jsonResponse({ items: [] }) });
    await screen.findByText('No items yet. Add the first one below.');

    await user.type(screen.getByLabelText('Name'), '   ');
    await user.click(screen.getByRole('button', { name: 'Add item' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Name is required.');
    expect(screen.getByLabelText('Name')).toHaveFocus();
    expect(fetchFn).toHaveBeenCalledTimes(1); // the list only
  });

  it('labels the name field and limits its length', () => {
    renderPage({ [LIST]: () => new Promise<Response>(() => undefined) });
    const input = screen.getByRole('textbox', { name: 'Name' });
    expect(input).toHaveAttribute('maxlength', '200');
    expect(input).toBeRequired();
    expect(input).toHaveAccessibleDescription('Up to 200 characters.');
  });
});
