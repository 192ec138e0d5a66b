import { checkPathPattern, PathValues, renderPath } from './paths';

const values: PathValues = {
  appName: 'orders-api',
  environment: 'staging',
  applicationName: 'orders-api-staging',
  instance: 'main',
  project: 'default',
};

describe('renderPath', () => {
  it.each([
    ['apps/{environment}/{appName}.yaml', 'apps/staging/orders-api.yaml'],
    [
      '{instance}/{project}/{applicationName}.yaml',
      'main/default/orders-api-staging.yaml',
    ],
    [
      'apps/{appName}/{appName}-{environment}.yaml',
      'apps/orders-api/orders-api-staging.yaml',
    ],
    ['static.yaml', 'static.yaml'],
    ['apps/{unknown}.yaml', 'apps/{unknown}.yaml'],
  ])('%s → %s', (pattern, expected) => {
    expect(renderPath(pattern, values)).toBe(expected);
  });
});

describe('checkPathPattern', () => {
  const required = ['{environment}', '{applicationName}'];

  it.each([
    'apps/{environment}/{appName}.yaml',
    '{applicationName}.yaml',
    'clusters/{instance}/{project}/{applicationName}.yaml',
  ])('accepts %s', pattern => {
    expect(() =>
      checkPathPattern('pathPattern', pattern, required),
    ).not.toThrow();
  });

  it.each([
    [
      'apps/{appName}.yaml',
      /pathPattern 'apps\/\{appName\}.yaml' must contain \{environment\} or \{applicationName\}/,
    ],
    ['apps/{env}/{appName}.yaml', /unknown placeholder '\{env\}'/],
    ['/apps/{environment}.yaml', /must be relative to the repository root/],
    ['../apps/{environment}.yaml', /must stay inside the repository/],
    ['apps/{environment} x.yaml', /whitespace/],
  ])('rejects %s', (pattern, message) => {
    expect(() => checkPathPattern('pathPattern', pattern, required)).toThrow(
      message,
    );
  });
});
