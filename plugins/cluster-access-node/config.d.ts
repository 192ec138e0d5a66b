export interface Config {
  runway?: {
    /**
     * The cluster-state layer (`@runway/plugin-cluster-access-node`): informers per kind
     * and cluster of the `kubernetes` config, shared by the views that read Kubernetes.
     */
    clusterState?: {
      /** Stop the informer of a kind no view read for this long. Default 1800. */
      idleTimeoutSeconds?: number;
      /** How long a view waits for a kind's first list before saying the cluster is still syncing. Default 10. */
      coldStartTimeoutSeconds?: number;
      /** How long a synced kind keeps serving its last state through failures before views show the error. Default 30. */
      staleAfterSeconds?: number;
      /** Objects per list page. Default 500. */
      pageSize?: number;
    };
  };
}
