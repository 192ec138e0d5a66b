import { Entity } from '@backstage/catalog-model';
import { entityObjectSelector } from './entitySelector';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', annotations },
  spec: {},
});

describe('entityObjectSelector', () => {
  it.each([
    ['no annotations', {}, undefined],
    [
      'kubernetes-id',
      { 'backstage.io/kubernetes-id': 'orders-api' },
      {
        labelSelector: 'backstage.io/kubernetes-id=orders-api',
        namespace: undefined,
      },
    ],
    [
      'kubernetes-id in a namespace',
      {
        'backstage.io/kubernetes-id': 'orders-api',
        'backstage.io/kubernetes-namespace': 'orders',
      },
      {
        labelSelector: 'backstage.io/kubernetes-id=orders-api',
        namespace: 'orders',
      },
    ],
    [
      'label selector wins over kubernetes-id',
      {
        'backstage.io/kubernetes-id': 'orders-api',
        'backstage.io/kubernetes-label-selector': 'app=orders,tier in (api)',
      },
      { labelSelector: 'app=orders,tier in (api)', namespace: undefined },
    ],
    [
      'blank annotations count as missing',
      { 'backstage.io/kubernetes-id': ' ' },
      undefined,
    ],
  ])('%s', (_, annotations, expected) => {
    expect(entityObjectSelector(entity(annotations))).toEqual(expected);
  });
});
