import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  describeKubernetesError,
  displayUrl,
  kubernetesStatusCode,
  kubernetesStatusOf,
} from './kubernetesErrors';

const context = {
  cluster: 'staging',
  server: 'https://k8s.example.com',
  doing: 'applying Cluster shop/orders-db',
  forbiddenHint: 'Bind the backend to the ClusterRole in deploy/rbac.yaml',
  resource: { group: 'postgresql.cnpg.io', version: 'v1', plural: 'clusters' },
  resourceProvider: 'the CloudNativePG operator',
};
const status = (code: number, body: Record<string, unknown>) => ({
  code,
  body: JSON.stringify({ kind: 'Status', code, ...body }),
});

describe('describeKubernetesError', () => {
  it.each<[string, unknown, Function, string]>([
    [
      'connection refused',
      Object.assign(new Error('request to https://k8s.example.com failed'), {
        code: 'ECONNREFUSED',
      }),
      ServiceUnavailableError,
      "Kubernetes cluster 'staging' at https://k8s.example.com is unreachable while applying Cluster shop/orders-db: connection refused (ECONNREFUSED)",
    ],
    [
      'DNS failure (in the cause)',
      Object.assign(new Error('fetch failed'), {
        cause: { code: 'ENOTFOUND' },
      }),
      ServiceUnavailableError,
      "Kubernetes cluster 'staging' at https://k8s.example.com is unreachable while applying Cluster shop/orders-db: host name not found (DNS) (ENOTFOUND)",
    ],
    [
      'an untrusted certificate',
      Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      ServiceUnavailableError,
      'is unreachable while applying Cluster shop/orders-db: its TLS certificate is not trusted (set caData for the cluster) (SELF_SIGNED_CERT_IN_CHAIN)',
    ],
    [
      '401',
      { code: 401, body: undefined },
      AuthenticationError,
      "Kubernetes cluster 'staging' at https://k8s.example.com rejected the backend's credentials (401) while applying Cluster shop/orders-db; check the cluster's authProvider in the kubernetes config",
    ],
    [
      '403 with the hint',
      status(403, {
        message: 'clusters.postgresql.cnpg.io "orders-db" is forbidden',
      }),
      NotAllowedError,
      'forbids applying Cluster shop/orders-db: clusters.postgresql.cnpg.io "orders-db" is forbidden. Bind the backend to the ClusterRole in deploy/rbac.yaml',
    ],
    [
      '404 of the resource type (CRD missing)',
      status(404, {
        message: 'the server could not find the requested resource',
      }),
      NotFoundError,
      "Kubernetes cluster 'staging' at https://k8s.example.com does not serve clusters.postgresql.cnpg.io/v1 (applying Cluster shop/orders-db): is the CloudNativePG operator installed?",
    ],
    [
      '404 of an object',
      status(404, {
        message: 'namespaces "shop" not found',
        details: { name: 'shop' },
      }),
      NotFoundError,
      'Kubernetes cluster \'staging\' at https://k8s.example.com: applying Cluster shop/orders-db: namespaces "shop" not found',
    ],
    [
      '409 field conflict',
      status(409, {
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict',
        details: {
          causes: [
            {
              type: 'FieldManagerConflict',
              message: 'conflict with "kubectl" using postgresql.cnpg.io/v1',
              field: '.spec.instances',
            },
          ],
        },
      }),
      ConflictError,
      'applying Cluster shop/orders-db conflicts with another field manager on .spec.instances (conflict with "kubectl" using postgresql.cnpg.io/v1); Runway does not take fields over: change or remove them there first (Apply failed with 1 conflict)',
    ],
    [
      '409 already exists',
      status(409, {
        reason: 'AlreadyExists',
        message: 'clusters.postgresql.cnpg.io "orders-db" already exists',
      }),
      ConflictError,
      ': applying Cluster shop/orders-db: clusters.postgresql.cnpg.io "orders-db" already exists',
    ],
    [
      '422 invalid',
      status(422, { message: 'spec.instances: Invalid value: 0' }),
      InputError,
      'rejected applying Cluster shop/orders-db: spec.instances: Invalid value: 0',
    ],
    [
      '500',
      status(500, { reason: 'InternalError', message: 'etcd is down' }),
      Error,
      'answered 500 InternalError while applying Cluster shop/orders-db: etcd is down',
    ],
    [
      'a watch error (statusCode)',
      Object.assign(new Error('Forbidden'), { statusCode: 403 }),
      NotAllowedError,
      'forbids applying Cluster shop/orders-db: HTTP 403',
    ],
    [
      'a body that is not JSON (a proxy page)',
      { code: 502, body: '<html>Bad Gateway</html>' },
      Error,
      'answered 502 while applying Cluster shop/orders-db: HTTP 502',
    ],
    [
      'a body that is broken JSON',
      { code: 503, body: '{"message": "unfinished' },
      Error,
      'answered 503 while applying Cluster shop/orders-db: HTTP 503',
    ],
    [
      'anything else',
      new Error('socket hang up'),
      Error,
      "Kubernetes cluster 'staging' at https://k8s.example.com: applying Cluster shop/orders-db failed: socket hang up",
    ],
  ])('%s', (_, error, type, message) => {
    const described = describeKubernetesError(error, context);
    expect(described).toBeInstanceOf(type);
    expect(described.message).toContain(message);
  });

  it('leaves the hints out when the context has none', () => {
    const bare = { cluster: 'c', server: 'https://k', doing: 'listing pods' };
    expect(
      describeKubernetesError(status(403, { message: 'no' }), bare).message,
    ).toBe("Kubernetes cluster 'c' at https://k forbids listing pods: no");
    expect(
      describeKubernetesError(status(404, { message: 'gone' }), {
        ...bare,
        resource: { group: '', version: 'v1', plural: 'pods' },
      }).message,
    ).toBe(
      "Kubernetes cluster 'c' at https://k does not serve pods/v1 (listing pods)",
    );
  });
});

describe('kubernetesStatusCode', () => {
  it.each([
    [{ code: 403 }, 403],
    [{ statusCode: 410 }, 410],
    [{ code: 'ECONNREFUSED' }, undefined],
    [null, undefined],
  ])('%j → %s', (error, code) => {
    expect(kubernetesStatusCode(error)).toBe(code);
  });
});

describe('kubernetesStatusOf', () => {
  it.each([
    [{ body: { message: 'm' } }, { message: 'm' }],
    [{ body: '{"reason":"Forbidden"}' }, { reason: 'Forbidden' }],
    [{ body: ' {"reason": ' }, {}],
    [{ body: 'Forbidden' }, {}],
    [{ body: 'null' }, {}],
    [undefined, {}],
  ])('%j → %j', (error, parsed) => {
    expect(kubernetesStatusOf(error)).toEqual(parsed);
  });
});

describe('displayUrl', () => {
  it.each([
    [
      'https://user:secret@k8s.example.com:6443/?token=abc',
      'https://k8s.example.com:6443',
    ],
    ['https://k8s.example.com/prefix', 'https://k8s.example.com/prefix'],
    [undefined, '(no URL)'],
    ['not a url', '(invalid URL)'],
  ])('%s → %s', (url, shown) => {
    expect(displayUrl(url)).toBe(shown);
  });
});
