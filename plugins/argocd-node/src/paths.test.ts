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
      "pathPattern 'apps/{appName}.yaml' must contain {environment} or {applicationName} so that each object gets its own file",
    ],
    [
      'apps/{env}/{appName}.yaml',
      "pathPattern 'apps/{env}/{appName}.yaml' uses the unknown placeholder '{env}'; known: {appName}, {environment}, {applicationName}, {instance}, {project}",
    ],
    [
      '/apps/{environment}.yaml',
      "pathPattern: '/apps/x.yaml' must be relative to the repository root (no leading '/')",
    ],
    [
      '../apps/{environment}.yaml',
      "pathPattern: '../apps/x.yaml' must stay inside the repository (no '..' segments)",
    ],
    [
      'apps/{environment} x.yaml',
      'pathPattern: "apps/x x.yaml" must not contain whitespace or control characters',
    ],
  ])('rejects %s', (pattern, message) => {
    expect(() => checkPathPattern('pathPattern', pattern, required)).toThrow(
      message,
    );
  });
});
