import {
  describeKubernetesError,
  kubernetesStatusCode,
} from '../kubernetesErrors';
import { ClusterStateKind, collectionPath } from './kinds';

/**
 * Why a cluster's objects could not be read, as views report it: the message of the shared
 * Kubernetes error mapping, and the HTTP status when there was one (504 for a cluster that
 * did not answer in time).
 *
 * @public
 */
export class ClusterReadError extends Error {
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = 'ClusterReadError';
  }
}

/** A failed list or watch of a kind, described by the shared error mapping. */
export function toClusterReadError(
  error: unknown,
  context: { cluster: string; server: string; kind: ClusterStateKind },
): ClusterReadError {
  if (error instanceof ClusterReadError) return error;
  const { kind } = context;
  const { message } = describeKubernetesError(error, {
    cluster: context.cluster,
    server: context.server,
    doing: `listing and watching ${collectionPath(kind)}`,
    forbiddenHint:
      'The backend service account needs list and watch on this resource',
    resource: { group: kind.group, version: kind.version, plural: kind.plural },
    resourceProvider: kind.provider,
  });
  return new ClusterReadError(message, kubernetesStatusCode(error));
}
