/**
 * Whether a CloudNativePG Cluster is ready, from the status its operator reports: pure.
 */

/** The phase the operator reports once every instance is up and replicating. */
export const HEALTHY_PHASE = 'Cluster in healthy state';

export type ClusterStatus = {
  readyInstances?: number;
  instances?: number;
  phase?: string;
  phaseReason?: string;
};

export type ClusterReadiness = {
  ready: boolean;
  readyInstances: number;
  instances: number;
  phase?: string;
  phaseReason?: string;
};

/**
 * Ready: as many ready instances as were asked for, and the operator says the cluster is
 * healthy (a healthy phase left from before a change of `instances` is not enough).
 */
export function clusterReadiness(
  object: { status?: ClusterStatus } | undefined,
  instances: number,
): ClusterReadiness {
  const status = object?.status ?? {};
  const readyInstances = status.readyInstances ?? 0;
  return {
    ready: readyInstances >= instances && status.phase === HEALTHY_PHASE,
    readyInstances,
    instances,
    phase: status.phase,
    phaseReason: status.phaseReason,
  };
}

/** `1/3 instances ready; operator: "Creating a new replica" (reason)`. */
export function describeReadiness(r: ClusterReadiness): string {
  const counts = `${r.readyInstances}/${r.instances} instance${
    r.instances === 1 ? '' : 's'
  } ready`;
  if (!r.phase) {
    return `${counts}; the operator has reported no status yet (is the CloudNativePG operator running?)`;
  }
  const reason = r.phaseReason ? ` (${r.phaseReason})` : '';
  return `${counts}; operator: "${r.phase}"${reason}`;
}
