/** The collection path of the CloudNativePG Clusters in the namespace `shop`. */
export const CLUSTERS = '/apis/postgresql.cnpg.io/v1/namespaces/shop/clusters';
export const APPLY = 'application/apply-patch+yaml';

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

/** A server-side apply request to the fake at `url`. */
export const applyRequest = (
  url: string,
  body: unknown,
  options: {
    manager?: string;
    force?: boolean;
    contentType?: string;
    path?: string;
  } = {},
) => {
  const query = new URLSearchParams();
  if (options.manager !== undefined) query.set('fieldManager', options.manager);
  if (options.force) query.set('force', 'true');
  return fetch(`${url}${options.path ?? `${CLUSTERS}/orders-db`}?${query}`, {
    method: 'PATCH',
    headers: { 'content-type': options.contentType ?? APPLY },
    body: JSON.stringify(body),
  });
};
