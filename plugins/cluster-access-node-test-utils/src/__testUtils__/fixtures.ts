/** The collection path of the CloudNativePG Clusters in the namespace `shop`. */
export const CLUSTERS = '/apis/postgresql.cnpg.io/v1/namespaces/shop/clusters';

/** A CloudNativePG Cluster in `shop`. */
export const cluster = (spec: Record<string, unknown>, name = 'orders-db') => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name, namespace: 'shop', labels: { app: 'orders' } },
  spec,
});

/** The ref of `cluster()`. */
export const ref = {
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  namespace: 'shop',
  name: 'orders-db',
};
