import { CustomErrorBase } from '@backstage/errors';
import {
  describeKubernetesError,
  KubernetesErrorContext,
} from '@runway/plugin-cluster-access-node';
import { ResourceType } from './permissions';

/** A CloudNativePG cluster did not become ready in time. */
export class ClusterNotReadyError extends CustomErrorBase {
  name = 'ClusterNotReadyError' as const;
}

/** Where this module's RBAC is kept, named when a cluster forbids a request. */
const FORBIDDEN_HINT =
  "Bind the backend's identity to the ClusterRole in plugins/scaffolder-backend-module-cnpg/deploy/rbac.yaml";

/**
 * The shared Kubernetes error mapping of cluster access, with what this module knows: the
 * RBAC to bind on a 403, and which operator serves a resource type a cluster lacks.
 */
export function describeCnpgError(
  error: unknown,
  context: Omit<
    KubernetesErrorContext,
    'forbiddenHint' | 'resource' | 'resourceProvider'
  > & { resource?: ResourceType },
): Error {
  const { resource } = context;
  return describeKubernetesError(error, {
    ...context,
    forbiddenHint: FORBIDDEN_HINT,
    resourceProvider:
      resource?.group === 'barmancloud.cnpg.io'
        ? 'the Barman Cloud plugin of CloudNativePG'
        : 'the CloudNativePG operator',
  });
}
