/*
 * Checks of a generated repository's Helm chart: lint, render, then validate every
 * rendered object strictly against its schema and against Runway's conventions
 * (canary routing, Pod Security "restricted", Backstage labels).
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { crdSchemasDir, validateCustomResource } from '@runway/testing';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';

const run = promisify(execFile);

/** A rendered Kubernetes object. */
export type K8sObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

/** The harness package. */
const packageDir = resolvePackagePath('@runway/template-harness');

/** The root of this monorepo. */
export const repoRoot = resolve(packageDir, '../..');

/** helm: env HELM, else the tool folder `scripts/ensure-template-tools.sh` fills. */
export function helmBinary(): string {
  return process.env.HELM || resolve(repoRoot, '.cache/tools/helm');
}

/**
 * The Kubernetes version templates see (`.Capabilities.KubeVersion`, Chart.yaml's
 * kubeVersion). A helm built with `go install` lacks the release build's ldflags and
 * would otherwise claim v1.20.
 */
export const KUBE_VERSION = '1.33.0';

export type HelmOptions = {
  /** Kubernetes version for Capabilities; default KUBE_VERSION. */
  kubeVersion?: string;
  /** Release namespace; default helm's ("default"). */
  namespace?: string;
};

function valuesArgs(chartDir: string, valuesFile: string): string[] {
  const file = isAbsolute(valuesFile)
    ? valuesFile
    : resolve(chartDir, valuesFile);
  return ['-f', resolve(chartDir, 'values.yaml'), '-f', file];
}

async function helm(helmBin: string, args: string[]): Promise<string> {
  if (!existsSync(helmBin)) {
    throw new Error(
      `helm not found at ${helmBin}: run scripts/ensure-template-tools.sh or set HELM`,
    );
  }
  try {
    const { stdout } = await run(helmBin, args, {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (e: any) {
    const output = [e.stdout, e.stderr].filter(Boolean).join('\n').trim();
    throw new Error(`helm ${args[0]} failed:\n${output || e.message}`);
  }
}

/** `helm lint --strict` with values.yaml and one environment's values file; throws on failure. */
export async function lintChart(
  helmBin: string,
  chartDir: string,
  valuesFile: string,
  options: HelmOptions = {},
): Promise<void> {
  await helm(helmBin, [
    'lint',
    '--strict',
    chartDir,
    ...valuesArgs(chartDir, valuesFile),
    '--kube-version',
    options.kubeVersion ?? KUBE_VERSION,
    ...(options.namespace ? ['--namespace', options.namespace] : []),
  ]);
}

/**
 * `helm template <chart name> <chartDir> -f values.yaml -f <valuesFile>`, parsed into
 * objects. The release name is the chart's name, as Argo CD installs it. Rejects with
 * helm's message when rendering fails (e.g. a template's `fail`).
 */
export async function renderChart(
  helmBin: string,
  chartDir: string,
  valuesFile: string,
  options: HelmOptions = {},
): Promise<K8sObject[]> {
  const chart = parse(readFileSync(resolve(chartDir, 'Chart.yaml'), 'utf8'));
  const stdout = await helm(helmBin, [
    'template',
    chart.name,
    chartDir,
    ...valuesArgs(chartDir, valuesFile),
    '--kube-version',
    options.kubeVersion ?? KUBE_VERSION,
    ...(options.namespace ? ['--namespace', options.namespace] : []),
  ]);
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(stdout)) {
    if (doc.errors.length > 0) {
      throw new Error(
        `helm template printed invalid YAML: ${doc.errors[0].message}`,
      );
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

export type CheckOptions = {
  /** The CRD schemas folder; default crdSchemasDir(). */
  schemasDir?: string;
  /** The namespace of objects without metadata.namespace (the release's); default "default". */
  namespace?: string;
};

/** All problems of the rendered objects: schema validation and semantic checks. */
export function checkManifests(
  objects: K8sObject[],
  options: CheckOptions = {},
): string[] {
  return [
    ...validateSchemas(objects, options),
    ...checkSemantics(objects, options),
  ];
}

function nameOf(object: K8sObject): string {
  return `${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;
}

function splitApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  return { group, version };
}

// ------------------------------------------------------------------ schemas

/**
 * Strict JSON-schema validation of custom resources against the CRD schemas: the fast first
 * layer. Built-in kinds, and every object's metadata, are judged by a real API server
 * (./apiServer: server-side dry-run with strict field validation).
 */
export function validateSchemas(
  objects: K8sObject[],
  options: Pick<CheckOptions, 'schemasDir'> = {},
): string[] {
  const schemasDir = options.schemasDir ?? crdSchemasDir();
  const problems: string[] = [];
  for (const object of objects) {
    const where = nameOf(object);
    if (!object.apiVersion || !object.kind) {
      problems.push(`${where}: apiVersion and kind are required`);
      continue;
    }
    const { group, version } = splitApiVersion(object.apiVersion);
    if (!group.includes('.') || group.endsWith('.k8s.io')) continue;
    const crdFile = resolve(
      schemasDir,
      group,
      `${object.kind.toLowerCase()}_${version}.json`,
    );
    if (!existsSync(crdFile)) {
      problems.push(
        `${where}: no schema for ${object.apiVersion} ${object.kind} (${crdFile})`,
      );
      continue;
    }
    problems.push(
      ...validateCustomResource(object, crdFile).map(p => `${where}: ${p}`),
    );
  }
  return problems;
}

// ------------------------------------------------------------------ semantics

const KUBERNETES_ID = 'backstage.io/kubernetes-id';
const CANARY_HEADER = 'x-canary';

type Route = {
  destination?: { host?: string; subset?: string };
  weight?: number;
};
type HttpRule = {
  name?: string;
  match?: Record<string, any>[];
  route?: Route[];
};

/** Runway's conventions; each problem names the object it is about. */
export function checkSemantics(
  objects: K8sObject[],
  options: Pick<CheckOptions, 'namespace'> = {},
): string[] {
  return [
    ...checkVirtualServices(objects, options.namespace ?? 'default'),
    ...checkServiceSelectors(objects),
    ...checkPods(objects),
    ...checkBackstageLabels(objects),
  ];
}

function ofKind(
  objects: K8sObject[],
  kind: string,
  group?: string,
): K8sObject[] {
  return objects.filter(
    o =>
      o.kind === kind &&
      (group === undefined ||
        splitApiVersion(o.apiVersion ?? '').group === group),
  );
}

/**
 * A host as Istio resolves it: a short name (`svc`) is in the object's namespace;
 * `svc.ns` and `svc.ns.svc.cluster.local` name theirs; others compare whole.
 */
function resolveHost(host: string, namespace: string): string {
  const [name, ns, ...rest] = host.split('.');
  if (ns === undefined) return `${name}.${namespace}`;
  if (rest.length === 0 || rest[0] === 'svc') return `${name}.${ns}`;
  return host;
}

function isCatchAll(rule: HttpRule): boolean {
  return !rule.match || rule.match.length === 0;
}

function checkVirtualServices(
  objects: K8sObject[],
  releaseNamespace: string,
): string[] {
  const problems: string[] = [];
  const destinationRules = ofKind(
    objects,
    'DestinationRule',
    'networking.istio.io',
  );
  for (const vs of ofKind(objects, 'VirtualService', 'networking.istio.io')) {
    const where = nameOf(vs);
    const namespace = vs.metadata?.namespace ?? releaseNamespace;
    const rules: HttpRule[] = (vs.spec as any)?.http ?? [];

    rules.forEach((rule, i) => {
      const routes = rule.route ?? [];
      // Istio gives a lone destination 100 when its weight is omitted.
      const sum = routes.reduce(
        (total, r) => total + (r.weight ?? (routes.length === 1 ? 100 : 0)),
        0,
      );
      if (routes.length > 0 && sum !== 100) {
        problems.push(
          `${where}: http[${i}] route weights sum to ${sum}, not 100`,
        );
      }
      for (const route of routes) {
        const { host, subset } = route.destination ?? {};
        if (!host || !subset) continue;
        const target = resolveHost(host, namespace);
        const destinationRule = destinationRules.find(
          dr =>
            resolveHost(
              (dr.spec as any)?.host ?? '',
              dr.metadata?.namespace ?? releaseNamespace,
            ) === target,
        );
        const subsets: { name?: string }[] =
          (destinationRule?.spec as any)?.subsets ?? [];
        if (!destinationRule) {
          problems.push(
            `${where}: http[${i}] routes to subset "${subset}" of ${host}, which has no DestinationRule`,
          );
        } else if (!subsets.some(s => s.name === subset)) {
          problems.push(
            `${where}: http[${i}] routes to subset "${subset}", which ${nameOf(
              destinationRule,
            )} does not define`,
          );
        }
      }
    });

    const last = rules.length - 1;
    if (rules.length === 0 || !isCatchAll(rules[last])) {
      problems.push(
        `${where}: no default route (the last http rule must have no match)`,
      );
    }
    rules.forEach((rule, i) => {
      if (i < last && isCatchAll(rule)) {
        problems.push(
          `${where}: http[${i}] has no match, so the rules after it are never used`,
        );
      }
    });

    const routesToCanary = rules.some(r =>
      (r.route ?? []).some(d => d.destination?.subset === 'canary'),
    );
    // Rules that forward a path to another service (a frontend's /api) may come first;
    // the header rule must precede every rule that routes to this service.
    const ownHosts = new Set<string>(
      ((vs.spec as any)?.hosts ?? []).map((h: string) =>
        resolveHost(h, namespace),
      ),
    );
    const firstOwnRule = rules.find(r =>
      (r.route ?? []).some(
        d =>
          d.destination?.subset !== undefined ||
          ownHosts.has(resolveHost(d.destination?.host ?? '', namespace)),
      ),
    );
    if (routesToCanary && !isCanaryHeaderRule(firstOwnRule)) {
      problems.push(
        `${where}: the first http rule that routes to this service must send the header ${CANARY_HEADER}: "true" (exact) to the canary subset alone`,
      );
    }
  }
  return problems;
}

/** One match condition, made only of `x-canary: {exact: "true"}`, routed to the canary only. */
function isCanaryHeaderRule(rule?: HttpRule): boolean {
  if (!rule || rule.match?.length !== 1) return false;
  const match = rule.match[0];
  const conditions = Object.keys(match).filter(k => k !== 'name');
  const headers = match.headers ?? {};
  if (conditions.length !== 1 || Object.keys(headers).length !== 1)
    return false;
  if (
    headers[CANARY_HEADER]?.exact !== 'true' ||
    Object.keys(headers[CANARY_HEADER]).length !== 1
  ) {
    return false;
  }
  const routes = rule.route ?? [];
  const weighted = routes.filter(
    r => (r.weight ?? (routes.length === 1 ? 100 : 0)) > 0,
  );
  return weighted.length === 1 && weighted[0].destination?.subset === 'canary';
}

/** The Service spans both tracks and all versions; Istio subsets split them. */
function checkServiceSelectors(objects: K8sObject[]): string[] {
  return ofKind(objects, 'Service', '').flatMap(service => {
    const selector: Record<string, string> =
      (service.spec as any)?.selector ?? {};
    return ['version', 'track']
      .filter(label => label in selector)
      .map(
        label =>
          `${nameOf(
            service,
          )}: the selector must not contain the "${label}" label`,
      );
  });
}

type PodSpec = {
  securityContext?: Record<string, any>;
  containers?: Container[];
  initContainers?: Container[];
};
type Container = { name?: string; securityContext?: Record<string, any> };
type PodTemplate = {
  metadata?: { labels?: Record<string, string> };
  spec?: PodSpec;
};

/** The pod templates of workload kinds (and bare pods). */
function podTemplates(object: K8sObject): PodTemplate[] {
  const spec = object.spec as any;
  switch (object.kind) {
    case 'Pod':
      return [{ metadata: object.metadata, spec }];
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
    case 'Rollout':
      return spec?.template ? [spec.template] : [];
    case 'CronJob':
      return spec?.jobTemplate?.spec?.template
        ? [spec.jobTemplate.spec.template]
        : [];
    default:
      return [];
  }
}

/** Pod Security "restricted" for every container, plus the labels pods must carry. */
function checkPods(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    for (const template of podTemplates(object)) {
      const pod = template.spec?.securityContext ?? {};
      const containers = [
        ...(template.spec?.initContainers ?? []).map(c => ({
          c,
          kind: 'initContainer',
        })),
        ...(template.spec?.containers ?? []).map(c => ({
          c,
          kind: 'container',
        })),
      ];
      for (const { c, kind } of containers) {
        const where = `${nameOf(object)}: ${kind} ${c.name ?? '?'}`;
        const sc = c.securityContext ?? {};
        const runAsNonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
        const runAsUser = sc.runAsUser ?? pod.runAsUser;
        if (runAsNonRoot !== true)
          problems.push(`${where}: runAsNonRoot must be true`);
        if (runAsUser === 0) problems.push(`${where}: runAsUser must not be 0`);
        if (sc.readOnlyRootFilesystem !== true) {
          problems.push(`${where}: readOnlyRootFilesystem must be true`);
        }
        if (sc.allowPrivilegeEscalation !== false) {
          problems.push(`${where}: allowPrivilegeEscalation must be false`);
        }
        if (sc.privileged === true)
          problems.push(`${where}: must not be privileged`);
        if (!(sc.capabilities?.drop ?? []).includes('ALL')) {
          problems.push(`${where}: capabilities must drop ALL`);
        }
        const added = (sc.capabilities?.add ?? []).filter(
          (a: string) => a !== 'NET_BIND_SERVICE',
        );
        if (added.length > 0)
          problems.push(
            `${where}: must not add capabilities ${added.join(', ')}`,
          );
        const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
        if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
          problems.push(
            `${where}: seccompProfile must be RuntimeDefault (or Localhost)`,
          );
        }
      }
      const labels = template.metadata?.labels ?? {};
      const longRunning = [
        'Deployment',
        'StatefulSet',
        'DaemonSet',
        'ReplicaSet',
        'Rollout',
      ].includes(object.kind ?? '');
      for (const label of longRunning ? ['version', 'track'] : []) {
        if (!labels[label])
          problems.push(
            `${nameOf(object)}: pods must carry the "${label}" label`,
          );
      }
    }
  }
  return problems;
}

/** Backstage's Kubernetes and Canary plugins find objects and pods by this label. */
function checkBackstageLabels(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const object of objects) {
    const id = object.metadata?.labels?.[KUBERNETES_ID];
    if (!id)
      problems.push(`${nameOf(object)}: missing the label ${KUBERNETES_ID}`);
    else ids.add(id);
    for (const template of podTemplates(object)) {
      const podId = template.metadata?.labels?.[KUBERNETES_ID];
      if (!podId)
        problems.push(
          `${nameOf(object)}: pods miss the label ${KUBERNETES_ID}`,
        );
      else ids.add(podId);
    }
  }
  if (ids.size > 1) {
    problems.push(
      `the ${KUBERNETES_ID} labels disagree: ${[...ids].sort().join(', ')}`,
    );
  }
  return problems;
}
