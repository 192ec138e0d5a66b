import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Binaries } from './binaries';
import type { ControlPlane } from './ControlPlane';
import { readModuleFiles, toolsModuleVersion } from './modules';
import { ManagedProcess, startProcess, waitFor } from './process';

/** The simulated node kwok manages: pods scheduled on it become Running and Ready. */
export const KWOK_NODE = 'kwok-node-0';

const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

/**
 * kwok's own "fast" stages (node initialised and kept alive by heartbeats; pods Ready at once,
 * completed, deleted), read from the kwok module at the pinned version.
 */
function kwokConfig(): string {
  return readModuleFiles({
    module: 'sigs.k8s.io/kwok',
    version: toolsModuleVersion('kwok', 'sigs.k8s.io/kwok'),
    files: [
      'kustomize/stage/node/fast/node-initialize.yaml',
      'kustomize/stage/node/heartbeat/node-heartbeat.yaml',
      'kustomize/stage/pod/fast/pod-ready.yaml',
      'kustomize/stage/pod/fast/pod-complete.yaml',
      'kustomize/stage/pod/fast/pod-delete.yaml',
    ],
  });
}

/**
 * kube-controller-manager (ReplicaSets create pods, namespaces get a default ServiceAccount…),
 * kube-scheduler and kwok with one simulated node.
 */
export async function startWorkloads(
  plane: ControlPlane,
  bin: Binaries,
  processes: Record<string, ManagedProcess>,
): Promise<void> {
  const log = (name: string) => ({ logFile: join(plane.dir, `${name}.log`) });
  const kubeconfig = `--kubeconfig=${plane.kubeconfigPath}`;
  const alive = (p: ManagedProcess) => () =>
    p.child.exitCode !== null
      ? `${p.name} exited (${p.child.exitCode}):\n${p.tail()}`
      : undefined;

  processes['kube-controller-manager'] = startProcess(
    'kube-controller-manager',
    bin['kube-controller-manager'],
    [
      kubeconfig,
      '--leader-elect=false',
      '--secure-port=0',
      `--service-account-private-key-file=${join(plane.dir, 'sa.key')}`,
      `--root-ca-file=${join(plane.dir, 'ca.crt')}`,
      '--use-service-account-credentials=false',
    ],
    log('kube-controller-manager'),
  );
  processes['kube-scheduler'] = startProcess(
    'kube-scheduler',
    bin['kube-scheduler'],
    [kubeconfig, '--leader-elect=false', '--secure-port=0'],
    log('kube-scheduler'),
  );
  const kwokConfigFile = join(plane.dir, 'kwok.yaml');
  writeFileSync(kwokConfigFile, kwokConfig());
  processes.kwok = startProcess(
    'kwok',
    bin.kwok,
    [
      kubeconfig,
      `--config=${kwokConfigFile}`,
      `--manage-single-node=${KWOK_NODE}`,
      '--cidr=10.244.0.0/16',
      '--node-ip=10.96.0.10',
    ],
    log('kwok'),
  );

  await plane.apply([
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: KWOK_NODE,
        annotations: { [KWOK_NODE_ANNOTATION]: 'fake' },
        labels: {
          'kubernetes.io/hostname': KWOK_NODE,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'topology.kubernetes.io/zone': 'zone-a',
          type: 'kwok',
        },
      },
      spec: {},
    } as any,
  ]);

  // Ready when the node is Ready (kwok) and the default ServiceAccount exists (controller-manager).
  await waitFor(
    `node ${KWOK_NODE} Ready`,
    async () => {
      const node = await plane.getObject(`/api/v1/nodes/${KWOK_NODE}`);
      return node?.status?.conditions?.some(
        (c: any) => c.type === 'Ready' && c.status === 'True',
      )
        ? true
        : undefined;
    },
    {
      timeoutMs: 60_000,
      describe: () => processes.kwok.tail(),
      abort: alive(processes.kwok),
    },
  );
  await waitFor(
    'ServiceAccount default/default',
    async () =>
      (await plane.getObject(
        '/api/v1/namespaces/default/serviceaccounts/default',
      ))
        ? true
        : undefined,
    {
      timeoutMs: 60_000,
      describe: () => processes['kube-controller-manager'].tail(),
      abort: alive(processes['kube-controller-manager']),
    },
  );
}
