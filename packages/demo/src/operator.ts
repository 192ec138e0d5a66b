import type { ControlPlane } from '@runway/control-plane';
import {
  healthyClusterStatus,
  lastNightlyBackup,
  nextNightlyBackup,
} from './plan';

const CNPG = '/apis/postgresql.cnpg.io/v1';

/**
 * Plays the CloudNativePG operator in a demo cluster, through the status subresource as the
 * operator writes it: every Cluster without a status (the demo's, and those the portal's
 * templates create) gets the status of a cluster whose instances are all up, and a completed
 * Backup from last night; every ScheduledBackup gets its next run. Returns a function that
 * stops it.
 */
export function startFakeCnpgOperator(
  plane: ControlPlane,
  intervalMs = 1_000,
): () => Promise<void> {
  let stopped = false;
  const writeStatus = (path: string, status: Record<string, unknown>) =>
    plane.request(
      'PATCH',
      `${path}/status?fieldManager=cloudnative-pg`,
      { status },
      { contentType: 'application/merge-patch+json' },
    );
  const round = async () => {
    const now = new Date();
    const clusters = await plane.getObject(`${CNPG}/clusters`);
    for (const cluster of clusters?.items ?? []) {
      if (cluster.status?.phase) continue;
      const { namespace, name } = cluster.metadata;
      await writeStatus(
        `${CNPG}/namespaces/${namespace}/clusters/${name}`,
        healthyClusterStatus(cluster, now),
      );
      await recordBackup(plane, cluster, now);
    }
    const schedules = await plane.getObject(`${CNPG}/scheduledbackups`);
    for (const schedule of schedules?.items ?? []) {
      if (schedule.status?.nextScheduleTime) continue;
      const { namespace, name } = schedule.metadata;
      await writeStatus(
        `${CNPG}/namespaces/${namespace}/scheduledbackups/${name}`,
        { nextScheduleTime: nextNightlyBackup(now) },
      );
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

/** Last night's completed Backup of a cluster, named as a ScheduledBackup names its runs. */
async function recordBackup(plane: ControlPlane, cluster: any, now: Date) {
  const { namespace, name } = cluster.metadata;
  const times = lastNightlyBackup(now);
  const backupName = `${name}-backup-${times.stoppedAt
    .slice(0, 10)
    .replace(/-/g, '')}`;
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
    { status: { phase: 'completed', ...times } },
    { contentType: 'application/merge-patch+json' },
  );
}
