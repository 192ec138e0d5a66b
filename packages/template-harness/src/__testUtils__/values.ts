/**
 * The values every skeleton part receives (templates/README.md), as the go-service
 * template passes them for the example service; tests override what they vary.
 */
export function partValues(overrides: Record<string, unknown> = {}) {
  return {
    name: 'orders-api',
    description: 'Stores and lists the orders of the online shop.',
    owner: 'group:default/checkout-team',
    system: 'online-shop',
    port: 8080,
    database: false,
    canary: true,
    language: 'go',
    repoHost: 'github.com',
    repoOwner: 'example-org',
    repoName: 'orders-api',
    goModule: 'github.com/example-org/orders-api',
    imageRepository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api',
    awsRegion: 'eu-west-1',
    releaseApp: 'runway-release',
    ...overrides,
  };
}

/**
 * The form parameters of a service template for the example service (go-service,
 * ts-service); the part-only keys among them are not form fields and go unused.
 */
export function serviceParameters(overrides: Record<string, unknown> = {}) {
  const { repoHost, repoOwner, repoName } = partValues();
  return {
    ...partValues(),
    repoUrl: `${repoHost}?owner=${repoOwner}&repo=${repoName}`,
    ...overrides,
  };
}

/** The form parameters of web-frontend for the example frontend, calling orders-api. */
export function webParameters(overrides: Record<string, unknown> = {}) {
  const { owner, system, repoHost, repoOwner } = partValues();
  return {
    name: 'storefront-web',
    description: 'The online shop in the browser: lists and places orders.',
    owner,
    system,
    backendService: 'component:default/orders-api',
    canary: true,
    repoUrl: `${repoHost}?owner=${repoOwner}&repo=storefront-web`,
    ...overrides,
  };
}

/** The form parameters of platform-environment for the example staging environment. */
export function platformParameters(overrides: Record<string, unknown> = {}) {
  const { owner, repoHost, repoOwner } = partValues();
  return {
    environment: 'staging',
    owner: owner.replace('checkout-team', 'platform-team'),
    awsRegion: 'eu-west-1',
    awsAccountId: '123456789012',
    vpcCidr: '10.0.0.0/16',
    azCount: 3,
    kubernetesVersion: '1.36',
    logBackend: 'eck',
    createEcrRepositories: true,
    repoUrl: `${repoHost}?owner=${repoOwner}&repo=platform-staging`,
    ...overrides,
  };
}
