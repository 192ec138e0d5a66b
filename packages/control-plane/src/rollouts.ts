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
