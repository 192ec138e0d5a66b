/*
 * Checks of a generated repository's Helm chart: lint, render, then validate every
 * rendered object strictly against its schema and against Runway's conventions
 * (canary routing, Pod Security "restricted", Backstage labels).
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { podOfTemplate, RenderedObject } from '@runway/control-plane';
import { crdSchemasDir, validateCustomResource } from '@runway/testing';
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { checkDelivery } from './delivery';
import { nameOf, ofKind, splitApiVersion } from './objects';

const run = promisify(execFile);

/** A rendered Kubernetes object (the control plane's dry run reads the same). */
export type K8sObject = RenderedObject;

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

export type RenderOptions = HelmOptions & {
  /** Release name; default the chart's name (as Argo CD installs it). */
  release?: string;
  /** Values given last, after values.yaml and the values file (like a final `-f`). */
  values?: Record<string, unknown>;
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
 * `helm template <release> <chartDir> -f values.yaml -f <valuesFile> [-f <values>]`, parsed
 * into objects. The release name is the chart's name unless given, as Argo CD installs it.
 * Rejects with helm's message when rendering fails (e.g. a template's `fail`).
 */
export async function renderChart(
  helmBin: string,
  chartDir: string,
  valuesFile: string,
  options: RenderOptions = {},
): Promise<K8sObject[]> {
  const release =
    options.release ??
    parse(readFileSync(resolve(chartDir, 'Chart.yaml'), 'utf8')).name;
  const overridesDir = options.values
    ? mkdtempSync(join(tmpdir(), 'runway-helm-values-'))
    : undefined;
  try {
    const overrides: string[] = [];
    if (overridesDir) {
      const file = join(overridesDir, 'values.yaml');
      writeFileSync(file, stringify(options.values));
      overrides.push('-f', file);
    }
    const stdout = await helm(helmBin, [
      'template',
      release,
      chartDir,
      ...valuesArgs(chartDir, valuesFile),
      ...overrides,
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
  } finally {
    if (overridesDir) rmSync(overridesDir, { recursive: true, force: true });
  }
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

/**
 * Runway's conventions; each problem names the object it is about. Routing, canary,
 * analysis and migration rules live in delivery.ts (checked through canary-common).
 */
export function checkSemantics(
  objects: K8sObject[],
  options: Pick<CheckOptions, 'namespace'> = {},
): string[] {
  return [
    ...checkDelivery(objects, { namespace: options.namespace ?? 'default' }),
    ...checkServiceSelectors(objects),
    ...checkPods(objects),
    ...checkBackstageLabels(objects),
  ];
}

/**
 * A Service never selects by version or track in Git: Argo Rollouts pins the stable and
 * canary Services to their revisions itself.
 */
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

/**
 * The pod templates of workload kinds (the ones the control plane's dry run also admits as
 * Pods), and bare pods.
 */
function podTemplates(object: K8sObject): PodTemplate[] {
  if (object.kind === 'Pod') return [object as PodTemplate];
  const pod = podOfTemplate(object);
  return pod ? [pod as PodTemplate] : [];
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
      // A Rollout's controller adds each revision's track label (stable/canaryMetadata).
      const canaryStrategy = (object.spec as any)?.strategy?.canary;
      const labels: Record<string, string | undefined> = {
        ...(canaryStrategy?.canaryMetadata?.labels?.track &&
        canaryStrategy?.stableMetadata?.labels?.track
          ? { track: canaryStrategy.stableMetadata.labels.track }
          : {}),
        ...template.metadata?.labels,
      };
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
