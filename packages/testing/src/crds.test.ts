import { validateCrd } from './crds';

const database = {
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Database',
  metadata: { name: 'orders-api', namespace: 'orders-api' },
  spec: { name: 'app', owner: 'app', cluster: { name: 'shared-db' } },
};

describe('validateCrd', () => {
  it('accepts a valid custom resource', () => {
    expect(validateCrd(database)).toEqual([]);
  });

  it.each([
    [
      'an unknown spec field',
      { ...database, spec: { ...database.spec, size: 1 } },
      'unknown field /spec/size',
    ],
    [
      'an unknown top-level field',
      { ...database, extra: true },
      'unknown field /extra',
    ],
    [
      'a missing required field',
      { ...database, spec: { name: 'app', owner: 'app' } },
      "/spec must have required property 'cluster'",
    ],
  ])('reports %s', (_, object, problem) => {
    expect(validateCrd(object)).toContain(problem);
  });

  it('throws for a kind without a schema', () => {
    expect(() =>
      validateCrd({ apiVersion: 'example.com/v1', kind: 'Widget' }),
    ).toThrow(/no CRD schema for example.com\/v1 Widget/);
  });
});

describe('CRD patterns (Go regular expressions)', () => {
  const rule = (partialResponseStrategy: string) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'orders-api' },
    spec: {
      groups: [
        {
          name: 'orders-api.rules',
          partial_response_strategy: partialResponseStrategy,
          rules: [{ alert: 'Down', expr: 'up == 0' }],
        },
      ],
    },
  });

  it('honours an inline (?i) flag', () => {
    expect(validateCrd(rule('WARN'))).toEqual([]);
    expect(validateCrd(rule('ignore'))).toEqual([
      '/spec/groups/0/partial_response_strategy must match pattern "^(?i)(abort|warn)?$"',
    ]);
  });
});
