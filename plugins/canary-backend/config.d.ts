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
  };
}
