/**
 * App config data declaring these clusters the way the Kubernetes plugin reads them.
 *
 * @public
 */
export function kubernetesClustersConfig(clusters: object[]) {
  return {
    kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters }] },
  };
}
