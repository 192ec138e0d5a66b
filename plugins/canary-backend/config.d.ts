export interface Config {
  /** Canary backend. Clusters come from the `kubernetes` config. */
  canary?: {
    cache?: {
      /** Stop watching an entity's objects when no one looked for this long. Default 1800. */
      idleTimeoutSeconds?: number;
      /** Report a cluster as unreachable when its first list takes longer. Default 10. */
      coldStartTimeoutSeconds?: number;
    };
  };
}
