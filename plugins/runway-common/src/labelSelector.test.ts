import {
  labelSelectorMatcher,
  matchesLabelSelector,
  parseLabelSelector,
} from './labelSelector';

describe('parseLabelSelector', () => {
  it.each([
    ['', []],
    ['app=orders', [{ key: 'app', operator: 'In', values: ['orders'] }]],
    ['app == orders', [{ key: 'app', operator: 'In', values: ['orders'] }]],
    ['app!=orders', [{ key: 'app', operator: 'NotIn', values: ['orders'] }]],
    ['app=', [{ key: 'app', operator: 'In', values: [''] }]],
    [
      'backstage.io/kubernetes-id=orders-api,tier',
      [
        {
          key: 'backstage.io/kubernetes-id',
          operator: 'In',
          values: ['orders-api'],
        },
        { key: 'tier', operator: 'Exists' },
      ],
    ],
    [' !legacy ', [{ key: 'legacy', operator: 'DoesNotExist' }]],
    [
      'env in (staging, production),track notin (canary)',
      [
        { key: 'env', operator: 'In', values: ['staging', 'production'] },
        { key: 'track', operator: 'NotIn', values: ['canary'] },
      ],
    ],
    ['env in (,a)', [{ key: 'env', operator: 'In', values: ['', 'a'] }]],
    [
      'replicas>2,weight<50',
      [
        { key: 'replicas', operator: 'Gt', value: 2 },
        { key: 'weight', operator: 'Lt', value: 50 },
      ],
    ],
  ])('%j', (selector, expected) => {
    expect(parseLabelSelector(selector)).toEqual(expected);
  });

  it.each([
    ['app=orders,', 'a requirement is missing after a comma'],
    ['app orders', "unexpected 'orders' after 'app'"],
    ['app=a b', 'requirements must be separated by commas'],
    ['env in (a,b', "missing ')' after the set of 'env'"],
    ['env in a', "expected '(' after in"],
    ['=orders', 'expected a label key'],
    ['!', 'expected a label key after !'],
    ['weight>x', "'x' is not an integer"],
    [
      'app=-orders',
      "'-orders' is not a label value (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)",
    ],
    [
      'Bad_Prefix/app=x',
      "label key 'Bad_Prefix/app' has an invalid prefix; the part before '/' must be a DNS-1123 subdomain",
    ],
  ])('rejects %j: %s', (selector, problem) => {
    expect(() => parseLabelSelector(selector)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: `invalid label selector '${selector}': ${problem}`,
      }),
    );
  });
});

describe('matchesLabelSelector', () => {
  const labels = {
    app: 'orders',
    tier: 'api',
    replicas: '3',
    'backstage.io/kubernetes-id': 'orders-api',
  };
  it.each([
    ['', true],
    ['app=orders', true],
    ['app==orders', true],
    ['app=payments', false],
    ['app!=payments', true],
    ['missing!=x', true],
    ['backstage.io/kubernetes-id=orders-api,tier=api', true],
    ['backstage.io/kubernetes-id=orders-api,tier=db', false],
    ['tier in (api,web)', true],
    ['tier notin (api,web)', false],
    ['missing notin (api)', true],
    ['missing in (api)', false],
    ['tier', true],
    ['!tier', false],
    ['missing', false],
    ['!missing', true],
    ['replicas>2', true],
    ['replicas<3', false],
    ['app>1', false],
  ])('%j matches: %s', (selector, expected) => {
    expect(matchesLabelSelector(parseLabelSelector(selector), labels)).toBe(
      expected,
    );
  });

  it('matches objects without labels only against absence', () => {
    expect(labelSelectorMatcher('!app')(undefined)).toBe(true);
    expect(labelSelectorMatcher('app')(undefined)).toBe(false);
    expect(labelSelectorMatcher(null)(undefined)).toBe(true);
  });
});
