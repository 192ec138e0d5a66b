import { parseLabelSelector } from './FakeKubernetesApi';

describe('parseLabelSelector', () => {
  const labels = {
    app: 'orders',
    tier: 'api',
    'backstage.io/kubernetes-id': 'orders-api',
  };
  it.each([
    [null, true],
    ['app=orders', true],
    ['app==orders', true],
    ['app=payments', false],
    ['app!=payments', true],
    ['backstage.io/kubernetes-id=orders-api,tier=api', true],
    ['backstage.io/kubernetes-id=orders-api,tier=db', false],
    ['tier in (api,web)', true],
    ['tier notin (api,web)', false],
    ['tier', true],
    ['!tier', false],
    ['missing', false],
  ])('%s matches: %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });
});
