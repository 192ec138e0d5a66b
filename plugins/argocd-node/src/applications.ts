import { InputError } from '@backstage/errors';
import { normalizeRepoUrl } from './repoUrl';
import {
  Application,
  ApplicationDestination,
  AppProject,
  SyncPolicy,
} from './types';
import {
  assertDnsLabel,
  assertDnsSubdomain,
  assertLabelKey,
  assertLabelValue,
  assertRepoPath,
  assertToken,
  MAX_HELM_RELEASE_NAME_LENGTH,
  MAX_LABEL_VALUE_LENGTH,
} from './validation';

/** The label Backstage's Kubernetes plugin (and `argocd/app-selector`) finds a service's objects by. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/** Makes Argo CD delete an Application's resources when the Application is deleted. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
/** The cluster Argo CD runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

export const DEFAULT_PROJECT = 'default';
export const DEFAULT_CHART_PATH = 'chart';
export const DEFAULT_TARGET_REVISION = 'HEAD';
export const DEFAULT_ENVIRONMENTS = ['staging', 'production'];
export const DEFAULT_SYNC_OPTIONS = ['CreateNamespace=true'];

/** One environment an app is deployed to. */
export type EnvironmentInput = {
  /** DNS-1123 label; the Application is named `<appName>-<name>`. */
  name: string;
  /** Target namespace. Default: the app name. */
  namespace?: string;
  /** Helm value files, relative to the chart. Default: `values-<name>.yaml`. */
  valueFiles?: string[];
  /**
   * Target cluster: an Argo CD cluster name (`destination.name`) or an API server URL
   * (`destination.server`). Default: the cluster Argo CD runs in.
   */
  cluster?: string;
};

/** `syncPolicy` as the action takes it: Argo CD's shape, with `automated: false` for manual syncs. */
export type SyncPolicyInput = {
  /** Default `{ prune: true, selfHeal: true }`; `false` turns automated sync off. */
  automated?:
    | false
    | { prune?: boolean; selfHeal?: boolean; allowEmpty?: boolean };
  /** Default `['CreateNamespace=true']`; a given list replaces it. */
  syncOptions?: string[];
  retry?: SyncPolicy['retry'];
};

/** What {@link buildApplications} builds from. Only appName and repoUrl are required. */
export type ApplicationsInput = {
  /** DNS-1123 label, at most 53 characters: names the Helm release, the namespace and the Applications. */
  appName: string;
  /** The AppProject. Default `default`. */
  project?: string;
  /** The Git repository with the chart. */
  repoUrl: string;
  /** The chart's path in the repository. Default `chart`. */
  path?: string;
  /** Branch, tag or commit. Default `HEAD`. */
  targetRevision?: string;
  /** Default: staging and production with the defaults of {@link EnvironmentInput}. */
  environments?: EnvironmentInput[];
  syncPolicy?: SyncPolicyInput;
  /** Extra labels on every Application. */
  labels?: Record<string, string>;
  /**
   * `metadata.namespace` of the Applications: the Argo CD control-plane namespace. Needed in
   * manifests applied from a GitOps repository; left out for the REST API (the server's default).
   */
  applicationNamespace?: string;
};

/** The input with every default applied and every field checked. */
export type ResolvedApplicationsInput = {
  appName: string;
  project: string;
  repoUrl: string;
  path: string;
  targetRevision: string;
  environments: Array<
    Required<Omit<EnvironmentInput, 'cluster'>> & {
      cluster?: string;
    }
  >;
  syncPolicy: SyncPolicy;
  labels: Record<string, string>;
  applicationNamespace?: string;
};

/** `<appName>-<environment>` */
export function applicationName(appName: string, environment: string): string {
  return `${appName}-${environment}`;
}

function resolveSyncPolicy(input: SyncPolicyInput | undefined): SyncPolicy {
  const syncOptions = input?.syncOptions ?? DEFAULT_SYNC_OPTIONS;
  syncOptions.forEach((option, index) => {
    if (!/^[A-Za-z][A-Za-z0-9]*=\S+$/.test(option)) {
      throw new InputError(
        `syncPolicy.syncOptions[${index}] '${option}' must have the form Key=Value, e.g. CreateNamespace=true`,
      );
    }
  });
  const policy: SyncPolicy = {};
  if (input?.automated !== false) {
    policy.automated = {
      prune: input?.automated?.prune ?? true,
      selfHeal: input?.automated?.selfHeal ?? true,
      ...(input?.automated?.allowEmpty !== undefined && {
        allowEmpty: input.automated.allowEmpty,
      }),
    };
  }
  if (syncOptions.length > 0) policy.syncOptions = [...syncOptions];
  if (input?.retry) {
    const limit = input.retry.limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < -1)) {
      throw new InputError(
        `syncPolicy.retry.limit must be an integer of at least -1 (-1: unlimited), got ${limit}`,
      );
    }
    policy.retry = input.retry;
  }
  return policy;
}

function resolveLabels(
  appName: string,
  labels: Record<string, string> | undefined,
): Record<string, string> {
  for (const [key, value] of Object.entries(labels ?? {})) {
    assertLabelKey('labels', key);
    if (typeof value !== 'string') {
      throw new InputError(
        `labels: the value of label '${key}' must be a string`,
      );
    }
    assertLabelValue('labels', key, value);
    if (key === KUBERNETES_ID_LABEL && value !== appName) {
      throw new InputError(
        `labels: '${KUBERNETES_ID_LABEL}' is always set to the app name '${appName}' (Backstage finds the Applications by it); do not set it to '${value}'`,
      );
    }
  }
  return { ...labels, [KUBERNETES_ID_LABEL]: appName };
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every(isString);

/**
 * Checks the types of an input that did not go through a schema (the scaffolder validates
 * action input against the JSON schema; direct callers may not).
 */
function assertTypes(input: ApplicationsInput): void {
  const wrong = (field: string, expected: string) =>
    new InputError(`${field} must be ${expected}`);
  if (typeof input !== 'object' || input === null) {
    throw wrong('the input', 'an object');
  }
  for (const field of ['appName', 'repoUrl'] as const) {
    if (!isString(input[field])) throw wrong(field, 'a string');
  }
  for (const field of [
    'project',
    'path',
    'targetRevision',
    'applicationNamespace',
  ] as const) {
    if (input[field] !== undefined && !isString(input[field])) {
      throw wrong(field, 'a string');
    }
  }
  if (input.environments !== undefined) {
    if (!Array.isArray(input.environments)) {
      throw wrong(
        'environments',
        'a list of { name, namespace, valueFiles, cluster }',
      );
    }
    input.environments.forEach((environment, index) => {
      const field = `environments[${index}]`;
      if (typeof environment !== 'object' || environment === null) {
        throw wrong(field, 'an object');
      }
      if (!isString(environment.name)) throw wrong(`${field}.name`, 'a string');
      for (const key of ['namespace', 'cluster'] as const) {
        if (environment[key] !== undefined && !isString(environment[key])) {
          throw wrong(`${field}.${key}`, 'a string');
        }
      }
      if (
        environment.valueFiles !== undefined &&
        !isStringArray(environment.valueFiles)
      ) {
        throw wrong(`${field}.valueFiles`, 'a list of strings');
      }
    });
  }
  const syncOptions = input.syncPolicy?.syncOptions;
  if (syncOptions !== undefined && !isStringArray(syncOptions)) {
    throw wrong('syncPolicy.syncOptions', 'a list of strings');
  }
  if (
    input.labels !== undefined &&
    (typeof input.labels !== 'object' ||
      input.labels === null ||
      Array.isArray(input.labels))
  ) {
    throw wrong('labels', 'a map of label keys to string values');
  }
}

/**
 * Applies the defaults and checks every field. Pure; throws an InputError naming the field
 * and the rule on the first problem.
 */
export function resolveApplicationsInput(
  input: ApplicationsInput,
): ResolvedApplicationsInput {
  assertTypes(input);
  const { appName } = input;
  assertDnsLabel('appName', appName, MAX_HELM_RELEASE_NAME_LENGTH);

  const project = input.project ?? DEFAULT_PROJECT;
  assertDnsSubdomain('project', project);

  const repoUrl = normalizeRepoUrl('repoUrl', input.repoUrl);
  const path = input.path ?? DEFAULT_CHART_PATH;
  assertRepoPath('path', path);
  const targetRevision = input.targetRevision ?? DEFAULT_TARGET_REVISION;
  assertToken('targetRevision', targetRevision);

  const environmentInputs: EnvironmentInput[] =
    input.environments ?? DEFAULT_ENVIRONMENTS.map(name => ({ name }));
  if (environmentInputs.length === 0) {
    throw new InputError('environments must list at least one environment');
  }
  const seen = new Set<string>();
  const environments = environmentInputs.map((environment, index) => {
    const field = `environments[${index}]`;
    assertDnsLabel(`${field}.name`, environment.name);
    if (seen.has(environment.name)) {
      throw new InputError(
        `${field}.name '${environment.name}' is listed twice; environment names must be unique`,
      );
    }
    seen.add(environment.name);
    const name = applicationName(appName, environment.name);
    if (name.length > MAX_LABEL_VALUE_LENGTH) {
      throw new InputError(
        `${field}.name: the Application name '${name}' (<appName>-<environment>) is ${name.length} characters long; it must be at most ${MAX_LABEL_VALUE_LENGTH}, so shorten appName or the environment name`,
      );
    }
    const namespace = environment.namespace ?? appName;
    assertDnsLabel(`${field}.namespace`, namespace);
    const valueFiles = environment.valueFiles ?? [
      `values-${environment.name}.yaml`,
    ];
    valueFiles.forEach((file, fileIndex) =>
      assertToken(`${field}.valueFiles[${fileIndex}]`, file),
    );
    if (environment.cluster !== undefined) {
      assertToken(`${field}.cluster`, environment.cluster);
    }
    return {
      name: environment.name,
      namespace,
      valueFiles: [...valueFiles],
      ...(environment.cluster !== undefined && {
        cluster: environment.cluster,
      }),
    };
  });

  if (input.applicationNamespace !== undefined) {
    assertDnsLabel('applicationNamespace', input.applicationNamespace);
  }

  return {
    appName,
    project,
    repoUrl,
    path,
    targetRevision,
    environments,
    syncPolicy: resolveSyncPolicy(input.syncPolicy),
    labels: resolveLabels(appName, input.labels),
    ...(input.applicationNamespace !== undefined && {
      applicationNamespace: input.applicationNamespace,
    }),
  };
}

/** `destination` for a cluster given by name or API server URL, or the in-cluster default. */
export function destinationFor(
  namespace: string,
  cluster: string | undefined,
): ApplicationDestination {
  if (cluster === undefined) return { server: IN_CLUSTER_SERVER, namespace };
  if (/^https?:\/\//.test(cluster)) return { server: cluster, namespace };
  return { name: cluster, namespace };
}

/**
 * One Argo CD Application per environment, named `<appName>-<environment>`: the chart at
 * `path` of `repoUrl`, released as `appName` (the Runway chart names its objects after the
 * release, so the release name must be the service name, not the Application name) with the
 * environment's value files, into the environment's namespace and cluster; labelled
 * `backstage.io/kubernetes-id: <appName>` and with the resources finalizer. Pure.
 */
export function buildApplications(input: ApplicationsInput): Application[] {
  const resolved = resolveApplicationsInput(input);
  return resolved.environments.map(environment => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: applicationName(resolved.appName, environment.name),
      ...(resolved.applicationNamespace !== undefined && {
        namespace: resolved.applicationNamespace,
      }),
      labels: { ...resolved.labels },
      finalizers: [RESOURCES_FINALIZER],
    },
    spec: {
      project: resolved.project,
      source: {
        repoURL: resolved.repoUrl,
        path: resolved.path,
        targetRevision: resolved.targetRevision,
        helm: {
          releaseName: resolved.appName,
          valueFiles: [...environment.valueFiles],
        },
      },
      destination: destinationFor(environment.namespace, environment.cluster),
      ...(Object.keys(resolved.syncPolicy).length > 0 && {
        syncPolicy: structuredClone(resolved.syncPolicy),
      }),
    },
  }));
}

/**
 * The AppProject for an app's Applications, for `createProject: true`: it may pull from the
 * app's repository and deploy to each environment's namespace and cluster, and create those
 * namespaces (the only cluster-scoped kind it allows). Pure.
 */
export function buildAppProject(input: ApplicationsInput): AppProject {
  const resolved = resolveApplicationsInput(input);
  const destinations = resolved.environments.map(environment =>
    destinationFor(environment.namespace, environment.cluster),
  );
  const unique = destinations.filter(
    (destination, index) =>
      destinations.findIndex(
        other => JSON.stringify(other) === JSON.stringify(destination),
      ) === index,
  );
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: {
      name: resolved.project,
      ...(resolved.applicationNamespace !== undefined && {
        namespace: resolved.applicationNamespace,
      }),
    },
    spec: {
      description: `Created by Runway for ${resolved.appName}`,
      sourceRepos: [resolved.repoUrl],
      destinations: unique,
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    },
  };
}
