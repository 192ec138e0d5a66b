import { freePort } from '@runway/testing';
import { join } from 'node:path';
import { controlPlaneBinaries } from './binaries';
import type { ControlPlane } from './ControlPlane';
import { startProcess, waitFor } from './process';

/**
 * Starts the Argo Rollouts controller (the version the platform pins) against a control plane
 * started with `workloads: true` and the `argo-rollouts` and `istio` CRDs. It is stopped with
 * the control plane.
 */
export async function startRolloutsController(
  plane: ControlPlane,
  options: { args?: string[] } = {},
): Promise<void> {
  const bin = controlPlaneBinaries();
  const [metricsPort, healthzPort] = [await freePort(), await freePort()];
  const controller = startProcess(
    'rollouts-controller',
    bin['rollouts-controller'],
    [
      `--kubeconfig=${plane.kubeconfigPath}`,
      '--leader-elect=false',
      `--metricsport=${metricsPort}`,
      `--healthzPort=${healthzPort}`,
      ...(options.args ?? []),
    ],
    { logFile: join(plane.dir, 'rollouts-controller.log') },
  );
  plane.processes['rollouts-controller'] = controller;
  plane.addProcess(controller);
  await waitFor(
    'Argo Rollouts controller healthy',
    async () => {
      const res = await fetch(`http://127.0.0.1:${healthzPort}/healthz`);
      return res.ok ? true : undefined;
    },
    {
      timeoutMs: 60_000,
      describe: () => controller.tail(),
      abort: () =>
        controller.child.exitCode !== null
          ? `rollouts-controller exited (${
              controller.child.exitCode
            }):\n${controller.tail()}`
          : undefined,
    },
  );
}

/**
 * Resolves with the Rollout once the controller has stopped writing to it for `quietMs`
 * (its resourceVersion unchanged). After recording a pause (`controllerPause`) the controller
 * still patches the Rollout's conditions; a promote or abort written between the two is
 * overwritten by its view and lost — as `kubectl argo rollouts promote` sent in that instant
 * would be. Tests act on a Rollout only once it has settled.
 */
export async function rolloutSettled(
  plane: ControlPlane,
  namespace: string,
  name: string,
  options: { quietMs?: number; timeoutMs?: number } = {},
): Promise<any> {
  const quietMs = options.quietMs ?? 3000;
  const path = `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts/${name}`;
  let last: string | undefined;
  let since = Date.now();
  return waitFor(
    `Rollout ${namespace}/${name} to settle (no write for ${quietMs / 1000} s)`,
    async () => {
      const rollout = await plane.getObject(path);
      const version = rollout?.metadata?.resourceVersion;
      if (version !== last) {
        last = version;
        since = Date.now();
        return undefined;
      }
      return Date.now() - since >= quietMs ? rollout : undefined;
    },
    {
      timeoutMs: options.timeoutMs ?? 30_000,
      describe: () => plane.processes['rollouts-controller']?.tail() ?? '',
    },
  );
}
