import { KubernetesObject } from '@kubernetes/client-node';
import type { ControlPlane } from './ControlPlane';
import { resourcePathOf } from './discovery';

/** A rendered object, as far as the dry run reads it. */
export type RenderedObject = KubernetesObject & { [key: string]: unknown };

export type DryRunOptions = {
  /** The namespace of namespaced objects that name none (the release's). Created when missing. */
  namespace: string;
  /**
   * Pod Security level the namespace enforces (`pod-security.kubernetes.io/enforce`); default
   * `restricted`. Pod templates are also dry-run as Pods, so admission really enforces it.
   */
  podSecurity?: 'restricted' | 'baseline' | 'privileged';
};

const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Rollout: ['spec', 'template'],
};

/** `Kind/name` of a rendered object, as problems name it. */
export function nameOf(object: RenderedObject): string {
  return `${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The pod an object's pod template would create, or undefined for a kind without one. */
export function podOfTemplate(
  object: RenderedObject,
): RenderedObject | undefined {
  const path = POD_TEMPLATE_PATHS[object.kind ?? ''];
  if (!path) return undefined;
  let template: any = object;
  for (const key of path) template = template?.[key];
  if (!template?.spec) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(template.metadata ?? {}),
      name: `${object.metadata?.name ?? 'pod'}-dry-run`,
      namespace: object.metadata?.namespace,
    },
    spec: template.spec,
  };
}

/**
 * Creates every object with server-side **dry-run** and strict field validation on a real API
 * server (nothing is stored), and each pod template as a Pod too, in a namespace that enforces
 * Pod Security: CRD structural validation and defaulting, built-in schemas, admission. The
 * ServiceAccounts among the objects are created for real first (Pods may only name existing
 * accounts). Returns one line per problem, naming the object; empty when the server accepts all.
 */
export async function dryRunObjects(
  plane: ControlPlane,
  objects: RenderedObject[],
  options: DryRunOptions,
): Promise<string[]> {
  const level = options.podSecurity ?? 'restricted';
  await plane.createNamespace(options.namespace, {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
  });
  const problems: string[] = [];
  const prepared: Array<{ object: RenderedObject; path: string }> = [];
  for (const object of objects) {
    if (!object.apiVersion || !object.kind || !object.metadata?.name) {
      problems.push(
        `${nameOf(object)}: apiVersion, kind and metadata.name are required`,
      );
      continue;
    }
    try {
      const where = await resourcePathOf(
        plane.request,
        object.apiVersion,
        object.kind,
        object.metadata.namespace ?? options.namespace,
      );
      const placed = where.namespaced
        ? {
            ...object,
            metadata: { ...object.metadata, namespace: where.namespace },
          }
        : object;
      prepared.push({ object: placed, path: where.path });
    } catch (e) {
      problems.push(`${nameOf(object)}: ${messageOf(e)}`);
    }
  }

  const create = async (
    object: RenderedObject,
    path: string,
    dryRun: boolean,
  ): Promise<string | undefined> => {
    const query = `fieldManager=runway-dry-run&fieldValidation=Strict${
      dryRun ? '&dryRun=All' : ''
    }`;
    const { status, body } = await plane.request(
      'POST',
      `${path}?${query}`,
      object,
    );
    if (status >= 200 && status < 300) return undefined;
    if (!dryRun && status === 409) return undefined; // created by an earlier run
    return body?.message ?? `${status} ${JSON.stringify(body)}`;
  };

  // Pods may only name ServiceAccounts that exist: create those for real first, and the
  // namespace's `default` one (the controller-manager's job in a full cluster).
  await plane.apply([
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: options.namespace },
    },
  ]);
  for (const { object, path } of prepared) {
    if (object.kind !== 'ServiceAccount') continue;
    const problem = await create(object, path, false);
    if (problem) problems.push(`${nameOf(object)}: ${problem}`);
  }
  for (const { object, path } of prepared) {
    if (object.kind !== 'ServiceAccount') {
      const problem = await create(object, path, true);
      if (problem) {
        // Its pods would say the same again: one refusal per object.
        problems.push(`${nameOf(object)}: ${problem}`);
        continue;
      }
    }
    const pod = podOfTemplate(object);
    if (pod) {
      const podPath = `/api/v1/namespaces/${encodeURIComponent(
        String(object.metadata?.namespace),
      )}/pods`;
      const problem = await create(pod, podPath, true);
      if (problem) {
        problems.push(
          `${nameOf(object)} (its pod template as a Pod): ${problem}`,
        );
      }
    }
  }
  return problems;
}
