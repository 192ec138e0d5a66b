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
  isManagedByRunway,
  resourceOf,
} from './kubernetes';
import { RESOURCES } from './permissions';

const context = {
  cluster: 'staging',
  server: 'https://k8s.example.com',
  doing: 'applying Cluster shop/orders-db',
  resource: RESOURCES.clusters,
};
const status = (code: number, body: Record<string, unknown>) => ({
  code,
  body: JSON.stringify({ kind: 'Status', code, ...body }),
});

describe('describeKubernetesError', () => {
  it.each<[string, unknown, Function, string]>([
    [
      'connection refused',
      Object.assign(
        new Error('request to https://k8s.example.com/apis failed'),
        {
          code: 'ECONNREFUSED',
        },
      ),
      ServiceUnavailableError,
      "Kubernetes cluster 'staging' at https://k8s.example.com is unreachable while applying Cluster shop/orders-db: connection refused (ECONNREFUSED)",
    ],
    [
      'DNS failure (in the cause)',
      Object.assign(new Error('fetch failed'), {
        cause: { code: 'ENOTFOUND' },
      }),
      ServiceUnavailableError,
      'is unreachable while applying Cluster shop/orders-db: host name not found (DNS) (ENOTFOUND)',
    ],
    [
      'an untrusted certificate',
      Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      ServiceUnavailableError,
      'its TLS certificate is not trusted (set caData for the cluster)',
    ],
    [
      '401',
      { code: 401, body: undefined },
      AuthenticationError,
      "rejected the backend's credentials (401) while applying Cluster shop/orders-db",
    ],
    [
      '403',
      status(403, {
        message: 'clusters.postgresql.cnpg.io "orders-db" is forbidden',
      }),
      NotAllowedError,
      'forbids applying Cluster shop/orders-db: clusters.postgresql.cnpg.io "orders-db" is forbidden. Bind the backend\'s identity to the ClusterRole in plugins/scaffolder-backend-module-cnpg/deploy/rbac.yaml',
    ],
    [
      '404 of the resource type (CRD missing)',
      status(404, {
        message: 'the server could not find the requested resource',
      }),
      NotFoundError,
      'does not serve clusters.postgresql.cnpg.io/v1 (applying Cluster shop/orders-db): is the CloudNativePG operator installed?',
    ],
    [
      '404 of an object',
      status(404, {
        message: 'namespaces "shop" not found',
        details: { name: 'shop' },
      }),
      NotFoundError,
      'applying Cluster shop/orders-db: namespaces "shop" not found',
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
      'conflicts with another field manager on .spec.instances (conflict with "kubectl" using postgresql.cnpg.io/v1)',
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
  ])('%s', (_, error, type, message) => {
    const described = describeKubernetesError(error, context);
    expect(described).toBeInstanceOf(type);
    expect(described.message).toContain(message);
  });

  it('says which plugin is missing for an ObjectStore', () => {
    const described = describeKubernetesError(
      status(404, {
        message: 'the server could not find the requested resource',
      }),
      { ...context, resource: RESOURCES.objectstores },
    );
    expect(described.message).toContain(
      'does not serve objectstores.barmancloud.cnpg.io/v1 (applying Cluster shop/orders-db): is the Barman Cloud plugin of CloudNativePG installed?',
    );
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

describe('isManagedByRunway', () => {
  const object = (managers: string[]) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: 'shop',
      managedFields: managers.map(manager => ({ manager, operation: 'Apply' })),
    },
  });
  it.each([
    [[], false],
    [['kubectl'], false],
    [['kubectl', 'runway-cnpg'], true],
  ])('%j → %s', (managers, managed) => {
    expect(isManagedByRunway(object(managers))).toBe(managed);
  });
});

describe('resourceOf', () => {
  it.each([
    ['v1', 'Namespace', 'namespaces'],
    ['postgresql.cnpg.io/v1', 'Cluster', 'clusters'],
    ['postgresql.cnpg.io/v1', 'Database', 'databases'],
    ['postgresql.cnpg.io/v1', 'ScheduledBackup', 'scheduledbackups'],
    ['barmancloud.cnpg.io/v1', 'ObjectStore', 'objectstores'],
  ])('%s %s → %s', (apiVersion, kind, key) => {
    expect(resourceOf({ apiVersion, kind })).toBe(key);
  });
  it('refuses kinds the action does not manage', () => {
    expect(() => resourceOf({ apiVersion: 'v1', kind: 'Secret' })).toThrow(
      'v1 Secret is not a resource this action manages',
    );
  });
});
