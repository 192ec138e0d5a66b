import { parseLabelSelector } from '@runway/plugin-runway-common';
import { ObjectIndex } from './ObjectIndex';

const object = (
  name: string,
  labels: Record<string, string>,
  namespace = 'shop',
  owner?: string,
) => ({
  metadata: {
    name,
    namespace,
    labels,
    ...(owner && { ownerReferences: [{ kind: 'Rollout', name: owner }] }),
  },
});
const names = (objects: any[]) => objects.map(o => o.metadata.name).sort();
const byOwner = (o: any) =>
  (o.metadata.ownerReferences ?? []).map(
    (r: any) => `${o.metadata.namespace}/${r.kind}/${r.name}`,
  );

describe('ObjectIndex', () => {
  const build = () => {
    const index = new ObjectIndex({ owner: byOwner }, [
      'backstage.io/kubernetes-id',
    ]);
    index.upsert(
      object(
        'orders-a',
        { 'backstage.io/kubernetes-id': 'orders', app: 'orders' },
        'shop',
        'orders',
      ),
    );
    index.upsert(
      object(
        'orders-b',
        {
          'backstage.io/kubernetes-id': 'orders',
          app: 'orders',
          track: 'canary',
        },
        'shop',
        'orders',
      ),
    );
    index.upsert(
      object('payments', {
        'backstage.io/kubernetes-id': 'payments',
        app: 'payments',
      }),
    );
    index.upsert(
      object(
        'orders-other-ns',
        { 'backstage.io/kubernetes-id': 'orders', app: 'orders' },
        'other',
      ),
    );
    return index;
  };

  it.each([
    [
      'backstage.io/kubernetes-id=orders',
      undefined,
      ['orders-a', 'orders-b', 'orders-other-ns'],
    ],
    ['backstage.io/kubernetes-id=orders', 'shop', ['orders-a', 'orders-b']],
    ['app=orders,track!=canary', undefined, ['orders-a', 'orders-other-ns']],
    ['app in (orders, payments),track', undefined, ['orders-b']],
    ['!track', 'shop', ['orders-a', 'payments']],
    ['app notin (orders)', undefined, ['payments']],
    ['backstage.io/kubernetes-id=nobody', undefined, []],
  ])('selects %j in namespace %s', (selector, namespace, expected) => {
    expect(
      names(build().select(parseLabelSelector(selector), namespace)),
    ).toEqual(expected);
  });

  it('keeps every index right when objects change labels, owners or go away', () => {
    const index = build();
    // Built lazily, then kept up to date.
    expect(names(index.byLabel('app', 'payments'))).toEqual(['payments']);
    index.upsert(
      object('orders-a', {
        'backstage.io/kubernetes-id': 'payments',
        app: 'payments',
      }),
    );
    expect(names(index.byLabel('app', 'payments'))).toEqual([
      'orders-a',
      'payments',
    ]);
    expect(
      names(index.byLabel('backstage.io/kubernetes-id', 'orders')),
    ).toEqual(['orders-b', 'orders-other-ns']);
    expect(names(index.byIndex('owner', 'shop/Rollout/orders'))).toEqual([
      'orders-b',
    ]);
    index.delete({ metadata: { name: 'orders-b', namespace: 'shop' } });
    expect(index.byIndex('owner', 'shop/Rollout/orders')).toEqual([]);
    expect(
      names(index.byLabel('backstage.io/kubernetes-id', 'orders')),
    ).toEqual(['orders-other-ns']);
    expect(index.size).toBe(3);
    expect(index.get('shop', 'orders-a').metadata.labels.app).toBe('payments');
    expect(() => index.byIndex('nope', 'x')).toThrow("no index 'nope'");
  });
});
