import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { describeCnpgError } from './clusterErrors';
import { RESOURCES } from './permissions';

const context = {
  cluster: 'staging',
  server: 'https://k8s.example.com',
  doing: 'applying Cluster shop/orders-db',
};
const status = (code: number, body: Record<string, unknown>) => ({
  code,
  body: JSON.stringify({ kind: 'Status', code, ...body }),
});

describe('describeCnpgError', () => {
  it('names the RBAC to bind on a 403', () => {
    const error = describeCnpgError(
      status(403, { message: 'clusters.postgresql.cnpg.io is forbidden' }),
      { ...context, resource: RESOURCES.clusters },
    );
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe(
      "Kubernetes cluster 'staging' at https://k8s.example.com forbids applying Cluster shop/orders-db: clusters.postgresql.cnpg.io is forbidden. Bind the backend's identity to the ClusterRole in plugins/scaffolder-backend-module-cnpg/deploy/rbac.yaml",
    );
  });

  it.each([
    [
      RESOURCES.clusters,
      'does not serve clusters.postgresql.cnpg.io/v1 (applying Cluster shop/orders-db): is the CloudNativePG operator installed?',
    ],
    [
      RESOURCES.objectstores,
      'does not serve objectstores.barmancloud.cnpg.io/v1 (applying Cluster shop/orders-db): is the Barman Cloud plugin of CloudNativePG installed?',
    ],
  ])(
    'says which operator serves a missing resource type',
    (resource, message) => {
      const error = describeCnpgError(
        status(404, {
          message: 'the server could not find the requested resource',
        }),
        { ...context, resource },
      );
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toContain(message);
    },
  );
});
