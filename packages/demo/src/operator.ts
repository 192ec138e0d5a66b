import type { ControlPlane } from '@runway/control-plane';
import { healthyClusterStatus } from './plan';

const CNPG = '/apis/postgresql.cnpg.io/v1';

/**
 * Plays the CloudNativePG operator in a demo cluster: every Cluster without a status (the
 * demo's, and those the portal's templates create through `cnpg:database:create`) gets the
 * status the operator writes once all instances are up, through the status subresource, and a
 * completed Backup from last night. Returns a function that stops it.
 */
export function startFakeCnpgOperator(
  plane: ControlPlane,
  intervalMs = 1_000,
): () => Promise<void> {
  let stopped = false;
  const round = async () => {
    const list = await plane.getObject(`${CNPG}/clusters`);
    for (const cluster of list?.items ?? []) {
      if (cluster.status?.phase) continue;
      const { namespace, name } = cluster.metadata;
      const now = new Date();
      await plane.request(
        'PATCH',
        `${CNPG}/namespaces/${namespace}/clusters/${name}/status?fieldManager=cloudnative-pg`,
        { status: healthyClusterStatus(cluster, now) },
        { contentType: 'application/merge-patch+json' },
      );
      await recordBackup(plane, cluster, now);
    }
  };
  const running = (async () => {
    while (!stopped) {
      // A moment of 429 while a CRD's storage initialises: the next round tries again.
      await round().catch(() => {});
      await new Promise(r => setTimeout(r, intervalMs));
    }
  })();
  return async () => {
    stopped = true;
    await running;
  };
}

/** A completed Backup of the cluster, stopped at 02:00 UTC of the day before `now`. */
async function recordBackup(plane: ControlPlane, cluster: any, now: Date) {
  const { namespace, name } = cluster.metadata;
  const backupName = `${name}-backup-nightly`;
  const stoppedAt = new Date(now);
  stoppedAt.setUTCDate(stoppedAt.getUTCDate() - 1);
  stoppedAt.setUTCHours(2, 4, 0, 0);
  const startedAt = new Date(stoppedAt.getTime() - 4 * 60_000);
  await plane.apply([
    {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Backup',
      // Backups a ScheduledBackup creates carry CloudNativePG's labels only.
      metadata: {
        name: backupName,
        namespace,
        labels: { 'cnpg.io/cluster': name },
      },
      spec: { cluster: { name } },
    },
  ]);
  await plane.request(
    'PATCH',
    `${CNPG}/namespaces/${namespace}/backups/${backupName}/status?fieldManager=cloudnative-pg`,
    {
      status: {
        phase: 'completed',
        startedAt: startedAt.toISOString(),
        stoppedAt: stoppedAt.toISOString(),
      },
    },
    { contentType: 'application/merge-patch+json' },
  );
}
