export interface Config {
  /** The Canary backend. Clusters come from the `kubernetes` config. */
  canary?: {
    actions?: {
      /**
       * Service principals (`plugin:<pluginId>`, `external:<subject>` of a static token)
       * that may promote, abort and retry Rollouts. Any other service principal is refused:
       * service principals never reach the permission policy.
       */
      servicePrincipals?: string[];
    };
    /**
     * The staging → production promotion (Argo CD instances, GitOps repository and GitHub
     * credentials come from `argocd` and `integrations.github`).
     */
    promotion?: {
      /** api (default): update the production Application; gitops: a pull request on argocd.gitops. */
      mode?: 'api' | 'gitops';
      /** The Argo CD instance (argocd.instances[].name); default the first. */
      instance?: string;
    };
    /**
     * Each cluster's Prometheus (by the cluster's name in the `kubernetes` config), for the
     * live health of the Canary tab. A cluster without one shows "Prometheus not configured".
     */
    prometheus?: {
      [cluster: string]: {
        /** Base URL, e.g. http://kube-prometheus-stack-prometheus.monitoring:9090. */
        url: string;
        /**
         * The Authorization header value sent with every query (`Bearer …`, `Basic …`).
         * @visibility secret
         */
        authorization?: string;
        /** Each query's timeout; default 5, at most 30. */
        timeoutSeconds?: number;
      };
    };
  };
}
