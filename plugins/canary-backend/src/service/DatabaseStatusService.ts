import { Entity } from '@backstage/catalog-model';
import {
  ClusterDatabases,
  computePostgresCluster,
  DatabaseStatusResponse,
} from '@runway/plugin-canary-common';
import {
  ClusterAccess,
  ClusterSnapshot,
  ClusterStateKindId,
  ClusterStateService,
  CNPG_CLUSTER_INDEX,
  ObjectSelector,
} from '@runway/plugin-cluster-access-node';
import { clusterErrorOf, entityClusters } from './entityClusters';

/** The kinds the database card is computed from. */
export const DATABASE_KINDS = [
  'cnpgClusters',
  'cnpgDatabases',
  'cnpgBackups',
  'cnpgScheduledBackups',
] as const satisfies readonly ClusterStateKindId[];

const keyOf = (o: any) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/**
 * The entity's CloudNativePG Clusters in one snapshot: its own (labelled with its
 * selector), and the shared Clusters hosting its `Database` objects, when the layer holds
 * them.
 */
function databasesIn(
  snapshot: ClusterSnapshot,
  selector: ObjectSelector,
  now: Date,
) {
  const own = snapshot.select('cnpgClusters', selector);
  const ownKeys = new Set(own.map(keyOf));
  const entityDatabases = snapshot.select('cnpgDatabases', selector);
  const shared = new Map<string, any>();
  for (const db of entityDatabases) {
    const name = db.spec?.cluster?.name;
    const host =
      name && snapshot.get('cnpgClusters', db.metadata?.namespace, name);
    if (host && !ownKeys.has(keyOf(host))) shared.set(keyOf(host), host);
  }
  return [
    ...own.map(cluster => ({ cluster, shared: false })),
    ...[...shared.values()].map(cluster => ({ cluster, shared: true })),
  ]
    .sort((a, b) => keyOf(a.cluster).localeCompare(keyOf(b.cluster)))
    .map(({ cluster, shared: isShared }) => {
      const key = keyOf(cluster);
      const related = (kind: ClusterStateKindId) =>
        snapshot.byIndex(kind, CNPG_CLUSTER_INDEX, key);
      const databases = related('cnpgDatabases');
      return computePostgresCluster(
        {
          cluster,
          backups: related('cnpgBackups'),
          scheduledBackups: related('cnpgScheduledBackups'),
          // On a shared Cluster, only this entity's databases.
          databases: isShared
            ? databases.filter(d => entityDatabases.includes(d))
            : databases,
          shared: isShared,
        },
        now,
      );
    });
}

/**
 * The database card's status of an entity in every configured cluster, read from the
 * cluster-state layer. One cluster's failure is that cluster's error entry; a cluster
 * still syncing says so.
 */
export class DatabaseStatusService {
  constructor(
    readonly clusterAccess: ClusterAccess,
    readonly clusterState: ClusterStateService,
  ) {}

  getStatus(entity: Entity, now = new Date()): Promise<DatabaseStatusResponse> {
    return entityClusters(
      this,
      entity,
      DATABASE_KINDS,
      (cluster, snapshot, selector): ClusterDatabases => {
        if (snapshot.error) {
          return {
            cluster,
            error: clusterErrorOf(snapshot.error),
            databases: [],
          };
        }
        if (snapshot.syncing.length) {
          return { cluster, syncing: true, databases: [] };
        }
        return { cluster, databases: databasesIn(snapshot, selector, now) };
      },
      (cluster, error) => ({ cluster, error, databases: [] }),
    );
  }
}
