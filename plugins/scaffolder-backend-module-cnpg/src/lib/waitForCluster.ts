import { NotFoundError } from '@backstage/errors';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { backoffDelay } from '@runway/plugin-runway-common';
import { ClusterNotReadyError, describeCnpgError } from './clusterErrors';
import { describeObject, KubeObject } from './objects';
import { assertDeclared, ResourceKey, RESOURCES } from './permissions';
import {
  clusterReadiness,
  ClusterReadiness,
  describeReadiness,
} from './readiness';

/*
 * The readiness watch of a CloudNativePG Cluster: watch it by name, report every change of
 * its readiness, and read and watch again when the API server ends a watch.
 */

/** What waitForCluster needs of the cluster client. */
export type WatchedCluster = {
  cluster: string;
  server: string;
  kc: KubeConfig;
  read(
    resource: ResourceKey,
    name: string,
    namespace?: string,
  ): Promise<KubeObject | undefined>;
};

export type WaitForClusterOptions = {
  name: string;
  namespace: string;
  instances: number;
  timeoutMs: number;
  /** The Cluster as last read or applied, to start from. */
  initial?: KubeObject;
  onProgress: (readiness: ClusterReadiness) => void;
  signal?: AbortSignal;
};

type WatchOutcome = 'ready' | 'timeout' | 'closed' | 'deleted';

/** A watch the API server ends sooner than this is a quick close; quick closes back off. */
const QUICK_CLOSE_MS = 1000;
/** The pause before watching again after quick closes: 1 s, 2 s, 4 s, at most 8 s. */
const REWATCH_BACKOFF = { initialMs: 1000, maxMs: 8000 };

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Watches a Cluster (by `metadata.name`) until it has `instances` ready instances and a
 * healthy phase, reporting every change of its readiness. Re-reads and watches again when
 * the API server ends a watch, pausing with backoff when it keeps ending them at once.
 * @throws ClusterNotReadyError with the operator's last status after `timeoutMs`.
 */
export async function waitForCluster(
  client: WatchedCluster,
  options: WaitForClusterOptions,
): Promise<ClusterReadiness> {
  const { name, namespace, instances, timeoutMs } = options;
  const what = describeObject('Cluster', name, namespace);
  const deadline = Date.now() + timeoutMs;
  let last: ClusterReadiness | undefined;
  const observe = (object: KubeObject | undefined) => {
    const readiness = clusterReadiness(object as any, instances);
    if (
      !last ||
      last.readyInstances !== readiness.readyInstances ||
      last.phase !== readiness.phase ||
      last.phaseReason !== readiness.phaseReason
    ) {
      options.onProgress(readiness);
    }
    last = readiness;
    return readiness;
  };
  const timedOut = () =>
    new ClusterNotReadyError(
      `Kubernetes cluster '${
        client.cluster
      }': ${what} was not ready after ${Math.round(
        timeoutMs / 1000,
      )} s: ${describeReadiness(
        last ?? clusterReadiness(undefined, instances),
      )}`,
    );
  const gone = () =>
    new NotFoundError(
      `Kubernetes cluster '${client.cluster}': ${what} was deleted while waiting for it to become ready`,
    );

  let current =
    options.initial ?? (await client.read('clusters', name, namespace));
  if (!current) throw gone();
  // Where the next watch starts: the last version seen.
  const seen = { resourceVersion: current.metadata.resourceVersion };
  const onObject = (object: KubeObject) => {
    seen.resourceVersion =
      object.metadata.resourceVersion ?? seen.resourceVersion;
    return observe(object).ready;
  };
  if (observe(current).ready) return last!;

  let quickCloses = 0;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timedOut();
    const started = Date.now();
    const outcome = await watchOnce(client, {
      name,
      namespace,
      resourceVersion: seen.resourceVersion,
      remainingMs: remaining,
      signal: options.signal,
      onObject,
    });
    if (outcome === 'ready') return last!;
    if (outcome === 'timeout') throw timedOut();
    if (outcome === 'deleted') throw gone();
    // The API server ended the watch (or its resourceVersion expired): read, watch again.
    if (Date.now() - started < QUICK_CLOSE_MS) {
      quickCloses += 1;
      const pause = backoffDelay(quickCloses, REWATCH_BACKOFF);
      await sleep(Math.max(0, Math.min(pause, deadline - Date.now())));
    } else {
      quickCloses = 0;
    }
    current = await client.read('clusters', name, namespace);
    if (!current) throw gone();
    seen.resourceVersion = current.metadata.resourceVersion;
    if (observe(current).ready) return last!;
  }
}

function watchOnce(
  client: WatchedCluster,
  options: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    remainingMs: number;
    signal?: AbortSignal;
    onObject: (object: KubeObject) => boolean;
  },
): Promise<WatchOutcome> {
  const r = RESOURCES.clusters;
  assertDeclared('clusters', 'watch');
  const context = {
    cluster: client.cluster,
    server: client.server,
    doing: `watching ${describeObject(
      r.kind,
      options.name,
      options.namespace,
    )}`,
    resource: r,
  };
  const path = `/apis/${r.group}/${r.version}/namespaces/${encodeURIComponent(
    options.namespace,
  )}/${r.plural}`;
  return new Promise<WatchOutcome>((resolve, reject) => {
    let controller: AbortController | undefined;
    let settled = false;
    const cleanups: (() => void)[] = [];
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      cleanups.forEach(cleanup => cleanup());
      controller?.abort();
      finish();
    };
    const timer = setTimeout(
      () => settle(() => resolve('timeout')),
      options.remainingMs,
    );
    cleanups.push(() => clearTimeout(timer));
    const onAbort = () =>
      settle(() => reject(new Error(`Cancelled while ${context.doing}`)));
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort);
    cleanups.push(() => options.signal?.removeEventListener('abort', onAbort));
    new Watch(client.kc)
      .watch(
        path,
        {
          fieldSelector: `metadata.name=${options.name}`,
          resourceVersion: options.resourceVersion,
          timeoutSeconds: Math.max(1, Math.ceil(options.remainingMs / 1000)),
        },
        (type, object) => {
          if (type === 'ERROR') {
            // 410 Gone: the resourceVersion is too old; read again.
            if (object?.code === 410) settle(() => resolve('closed'));
            else
              settle(() =>
                reject(
                  describeCnpgError(
                    { code: object?.code ?? 500, body: object },
                    context,
                  ),
                ),
              );
            return;
          }
          if (type === 'DELETED') {
            settle(() => resolve('deleted'));
            return;
          }
          if (type === 'BOOKMARK') return;
          if (options.onObject(object)) settle(() => resolve('ready'));
        },
        error => {
          if (!error) settle(() => resolve('closed'));
          else settle(() => reject(describeCnpgError(error, context)));
        },
      )
      .then(
        c => {
          controller = c;
          if (settled) c.abort();
        },
        error => settle(() => reject(describeCnpgError(error, context))),
      );
  });
}
