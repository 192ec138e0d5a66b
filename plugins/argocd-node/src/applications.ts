import {
  dns1123Label,
  dns1123Subdomain,
  labels,
  MAX_LABEL_VALUE_LENGTH,
  parseInput,
} from '@runway/plugin-runway-common';
import { z } from 'zod/v3';
import { gitRepoUrl } from './repoUrl';
import {
  Application,
  ApplicationDestination,
  AppProject,
  ResourceIgnoreDifferences,
  SyncPolicy,
} from './types';
import {
  gitToken,
  MAX_HELM_RELEASE_NAME_LENGTH,
  repoPath,
  syncOption,
} from './validation';
import { copyJson } from './json';

/**
 * The label Backstage's Kubernetes plugin (and `argocd/app-selector`) finds a service's objects by.
 *
 * @public
 */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/**
 * Makes Argo CD delete an Application's resources when the Application is deleted.
 *
 * @public
 */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
/**
 * The cluster Argo CD runs in.
 *
 * @public
 */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** @public */
export const DEFAULT_PROJECT = 'default';
/** @public */
export const DEFAULT_CHART_PATH = 'chart';
/** @public */
export const DEFAULT_TARGET_REVISION = 'HEAD';
/** @public */
export const DEFAULT_ENVIRONMENTS = ['staging', 'production'];
/**
 * `RespectIgnoreDifferences=true`: a sync keeps the live values of the fields
 * {@link canaryIgnoreDifferences} names, so a sync during a canary does not reset its weights.
 *
 * @public
 */
export const DEFAULT_SYNC_OPTIONS = [
  'CreateNamespace=true',
  'RespectIgnoreDifferences=true',
];

/**
 * The fields of the Runway chart's VirtualService (named after the release) that Argo Rollouts
 * changes during a canary: the weights of its routes and the header route it adds
 * (`canary-header`). Argo CD leaves them out of its diff, so a rollout in progress does not show
 * the Application OutOfSync and self-heal does not fight the controller (Argo Rollouts' advice
 * for Istio with GitOps).
 *
 * @public
 */
export function canaryIgnoreDifferences(
  releaseName: string,
): ResourceIgnoreDifferences[] {
  return [
    {
      group: 'networking.istio.io',
      kind: 'VirtualService',
      name: releaseName,
      jqPathExpressions: [
        '.spec.http[].route[].weight',
        '.spec.http[] | select(.name == "canary-header")',
      ],
    },
  ];
}

/**
 * The zod type of one environment of {@link ApplicationsInput}.
 *
 * @public
 */
export type EnvironmentInputSchema = z.ZodObject<{
  name: z.ZodString;
  namespace: z.ZodOptional<z.ZodString>;
  valueFiles: z.ZodOptional<z.ZodArray<z.ZodString>>;
  cluster: z.ZodOptional<z.ZodString>;
  targetRevision: z.ZodOptional<z.ZodString>;
}>;

/**
 * The zod type of `syncPolicy` of {@link ApplicationsInput}: Argo CD's shape, with
 * `automated: false` for manual syncs.
 *
 * @public
 */
export type SyncPolicyInputSchema = z.ZodObject<{
  automated: z.ZodOptional<
    z.ZodUnion<
      [
        z.ZodLiteral<false>,
        z.ZodObject<{
          prune: z.ZodOptional<z.ZodBoolean>;
          selfHeal: z.ZodOptional<z.ZodBoolean>;
          allowEmpty: z.ZodOptional<z.ZodBoolean>;
        }>,
      ]
    >
  >;
  syncOptions: z.ZodOptional<z.ZodArray<z.ZodString>>;
  retry: z.ZodOptional<
    z.ZodObject<{
      limit: z.ZodOptional<z.ZodNumber>;
      backoff: z.ZodOptional<
        z.ZodObject<{
          duration: z.ZodOptional<z.ZodString>;
          factor: z.ZodOptional<z.ZodNumber>;
          maxDuration: z.ZodOptional<z.ZodString>;
        }>
      >;
    }>
  >;
}>;

/**
 * The zod types of the fields of {@link ApplicationsInput}, written out so that the
 * declarations (and the API report) do not depend on how the compiler expands them.
 *
 * @public
 */
export type ApplicationsInputShape = {
  appName: z.ZodString;
  project: z.ZodDefault<z.ZodString>;
  repoUrl: z.ZodEffects<z.ZodString, string, string>;
  path: z.ZodDefault<z.ZodEffects<z.ZodString, string, string>>;
  targetRevision: z.ZodDefault<z.ZodString>;
  environments: z.ZodDefault<z.ZodArray<EnvironmentInputSchema>>;
  syncPolicy: z.ZodOptional<SyncPolicyInputSchema>;
  labels: z.ZodOptional<
    z.ZodEffects<
      z.ZodRecord<z.ZodString, z.ZodString>,
      Record<string, string>,
      Record<string, string>
    >
  >;
  applicationNamespace: z.ZodOptional<z.ZodString>;
};

const environmentInputSchema: EnvironmentInputSchema = z.object({
  name: dns1123Label().describe(
    'Environment name, a DNS-1123 label; the Application is <appName>-<name>.',
  ),
  namespace: dns1123Label()
    .optional()
    .describe('Target namespace, a DNS-1123 label. Default: appName.'),
  valueFiles: z
    .array(gitToken())
    .optional()
    .describe(
      'Helm value files, relative to the chart. Default: [values-<name>.yaml].',
    ),
  cluster: gitToken()
    .optional()
    .describe(
      'Target cluster: its name in Argo CD, or its API server URL. Default: the cluster Argo CD runs in (https://kubernetes.default.svc).',
    ),
  targetRevision: gitToken()
    .optional()
    .describe(
      "This environment's branch, tag or commit, e.g. a commit SHA for an environment that changes only by promotion. Default: the top-level targetRevision.",
    ),
});

const syncPolicyInputSchema: SyncPolicyInputSchema = z.object({
  automated: z
    .union(
      [
        z.literal(false),
        z.object({
          prune: z
            .boolean()
            .optional()
            .describe('Delete resources no longer in Git. Default: true.'),
          selfHeal: z
            .boolean()
            .optional()
            .describe('Revert changes made in the cluster. Default: true.'),
          allowEmpty: z
            .boolean()
            .optional()
            .describe('Allow syncing to zero resources.'),
        }),
      ],
      {
        errorMap: () => ({
          message: 'must be false or { prune, selfHeal, allowEmpty }',
        }),
      },
    )
    .optional()
    .describe(
      'Automated sync, or false for manual syncs. Default: { prune: true, selfHeal: true }.',
    ),
  syncOptions: z
    .array(syncOption())
    .optional()
    .describe(
      'Argo CD sync options (Key=Value); a given list replaces the default [CreateNamespace=true].',
    ),
  retry: z
    .object({
      limit: z
        .number()
        .int('is not an integer')
        .min(-1, 'is less than -1 (-1: unlimited)')
        .optional()
        .describe('Attempts of a failed sync; -1 for unlimited.'),
      backoff: z
        .object({
          duration: z.string().optional().describe('First wait, e.g. 5s.'),
          factor: z
            .number()
            .int('is not an integer')
            .optional()
            .describe('Multiplier of each next wait.'),
          maxDuration: z.string().optional().describe('Longest wait, e.g. 3m.'),
        })
        .optional()
        .describe('Waits between sync attempts.'),
    })
    .optional()
    .describe('Retries of failed syncs. Default: none.'),
});

/**
 * The fields of {@link ApplicationsInput} and their rules, for schemas that extend it
 * (the `argocd:app:create` action adds its own fields).
 *
 * @public
 */
export const applicationsInputShape: ApplicationsInputShape = {
  appName: dns1123Label({
    maxLength: MAX_HELM_RELEASE_NAME_LENGTH,
    maxLengthReason: '(it names the Helm release)',
  }).describe(
    `The service name: a DNS-1123 label of at most ${MAX_HELM_RELEASE_NAME_LENGTH} characters. Names the Applications (<appName>-<environment>), the Helm release and the default namespace, and is the value of their ${KUBERNETES_ID_LABEL} label.`,
  ),
  project: dns1123Subdomain()
    .default(DEFAULT_PROJECT)
    .describe(
      'The Argo CD AppProject of the Applications, a DNS-1123 subdomain. Default: default.',
    ),
  repoUrl: gitRepoUrl().describe(
    'The Git repository with the chart: an https:// or ssh:// URL or scp-like git@host:owner/repo.git, without credentials. Argo CD reads it with its own repository credentials.',
  ),
  path: repoPath()
    .default(DEFAULT_CHART_PATH)
    .describe(
      "The Helm chart's directory in the repository, relative, without '..'. Default: chart (where Runway's templates put it).",
    ),
  targetRevision: gitToken()
    .default(DEFAULT_TARGET_REVISION)
    .describe(
      'The branch, tag or commit Argo CD deploys, unless an environment sets its own. Default: HEAD.',
    ),
  environments: z
    .array(environmentInputSchema)
    .min(1, 'must list at least one environment')
    .default(DEFAULT_ENVIRONMENTS.map(name => ({ name })))
    .describe(
      'The environments to deploy to, one Application each; <appName>-<name> is at most 63 characters. Default: staging and production.',
    ),
  syncPolicy: syncPolicyInputSchema
    .optional()
    .describe(
      "The Applications' sync policy (Argo CD's shape). Default: automated with prune and selfHeal, and CreateNamespace=true.",
    ),
  labels: labels()
    .optional()
    .describe(
      `Extra labels on every Application. ${KUBERNETES_ID_LABEL}: <appName> is always set.`,
    ),
  applicationNamespace: dns1123Label()
    .optional()
    .describe(
      'metadata.namespace of the Applications: the Argo CD control-plane namespace. Needed in manifests applied from a GitOps repository; left out for the REST API (the server default).',
    ),
};

/**
 * The rules across fields of {@link ApplicationsInput}: environment names are unique,
 * `<appName>-<environment>` fits a label value, and `backstage.io/kubernetes-id` is not
 * set to anything but the app name. For `superRefine` of any schema with these fields.
 *
 * @public
 */
export function checkApplicationsInput(
  input: {
    appName: string;
    environments?: Array<{ name: string }>;
    labels?: Record<string, string>;
  },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  (input.environments ?? []).forEach(({ name }, index) => {
    const path = ['environments', index, 'name'];
    if (seen.has(name)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `'${name}' is listed twice; environment names must be unique`,
      });
    }
    seen.add(name);
    const application = applicationName(input.appName, name);
    if (application.length > MAX_LABEL_VALUE_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `the Application name '${application}' (<appName>-<environment>) is ${application.length} characters long; it must be at most ${MAX_LABEL_VALUE_LENGTH}, so shorten appName or the environment name`,
      });
    }
  });
  const id = input.labels?.[KUBERNETES_ID_LABEL];
  if (id !== undefined && id !== input.appName) {
    ctx.addIssue({
      code: 'custom',
      path: ['labels'],
      message: `'${KUBERNETES_ID_LABEL}' is always set to the app name '${input.appName}' (Backstage finds the Applications by it); do not set it to '${id}'`,
    });
  }
}

/**
 * What {@link resolveApplicationsInput} checks: {@link applicationsInputShape} with
 * {@link checkApplicationsInput}.
 *
 * @public
 */
export const applicationsInputSchema: z.ZodEffects<
  z.ZodObject<ApplicationsInputShape>
> = z.object(applicationsInputShape).superRefine(checkApplicationsInput);

/**
 * What the Applications are built from. Only appName and repoUrl are required.
 *
 * @public
 */
export type ApplicationsInput = z.input<typeof applicationsInputSchema>;

/**
 * One environment an app is deployed to.
 *
 * @public
 */
export type EnvironmentInput = z.input<EnvironmentInputSchema>;

/**
 * `syncPolicy` as the input takes it: Argo CD's shape, with `automated: false` for manual
 * syncs.
 *
 * @public
 */
export type SyncPolicyInput = z.input<SyncPolicyInputSchema>;

/**
 * The input with every default applied and every field checked.
 *
 * @public
 */
export type ResolvedApplicationsInput = {
  appName: string;
  project: string;
  repoUrl: string;
  path: string;
  targetRevision: string;
  environments: Array<{
    name: string;
    namespace: string;
    valueFiles: string[];
    cluster?: string;
    targetRevision: string;
  }>;
  syncPolicy: SyncPolicy;
  labels: Record<string, string>;
  applicationNamespace?: string;
};

/**
 * `<appName>-<environment>`
 *
 * @public
 */
export function applicationName(appName: string, environment: string): string {
  return `${appName}-${environment}`;
}

function resolveSyncPolicy(input: SyncPolicyInput | undefined): SyncPolicy {
  const syncOptions = input?.syncOptions ?? DEFAULT_SYNC_OPTIONS;
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
  if (input?.retry) policy.retry = copyJson(input.retry);
  return policy;
}

/**
 * The defaults of input that {@link applicationsInputSchema} (or a schema extending its
 * shape) has parsed: each environment's namespace and value files, the sync policy, the
 * `backstage.io/kubernetes-id` label. Pure; checks nothing.
 *
 * @public
 */
export function applyApplicationsDefaults(
  input: z.output<typeof applicationsInputSchema>,
): ResolvedApplicationsInput {
  const { appName } = input;
  return {
    appName,
    project: input.project,
    repoUrl: input.repoUrl,
    path: input.path,
    targetRevision: input.targetRevision,
    environments: input.environments.map(environment => ({
      name: environment.name,
      namespace: environment.namespace ?? appName,
      valueFiles: [
        ...(environment.valueFiles ?? [`values-${environment.name}.yaml`]),
      ],
      ...(environment.cluster !== undefined && {
        cluster: environment.cluster,
      }),
      targetRevision: environment.targetRevision ?? input.targetRevision,
    })),
    syncPolicy: resolveSyncPolicy(input.syncPolicy),
    labels: { ...input.labels, [KUBERNETES_ID_LABEL]: appName },
    ...(input.applicationNamespace !== undefined && {
      applicationNamespace: input.applicationNamespace,
    }),
  };
}

/**
 * Checks every field and applies the defaults: the entry point of the builders. Pure;
 * throws an InputError naming each field that breaks a rule, and the rule.
 *
 * @public
 */
export function resolveApplicationsInput(
  input: ApplicationsInput,
): ResolvedApplicationsInput {
  return applyApplicationsDefaults(parseInput(applicationsInputSchema, input));
}

/**
 * `destination` for a cluster given by name or API server URL, or the in-cluster default.
 *
 * @public
 */
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
 * `backstage.io/kubernetes-id: <appName>` and with the resources finalizer; Argo CD ignores the
 * canary's weights in the chart's VirtualService ({@link canaryIgnoreDifferences}). Pure.
 *
 * @public
 */
export function buildApplications(
  resolved: ResolvedApplicationsInput,
): Application[] {
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
        targetRevision: environment.targetRevision,
        helm: {
          releaseName: resolved.appName,
          valueFiles: [...environment.valueFiles],
        },
      },
      destination: destinationFor(environment.namespace, environment.cluster),
      ...(Object.keys(resolved.syncPolicy).length > 0 && {
        syncPolicy: copyJson(resolved.syncPolicy),
      }),
      ignoreDifferences: canaryIgnoreDifferences(resolved.appName),
    },
  }));
}

/**
 * The AppProject for an app's Applications, for `createProject: true`: it may pull from the
 * app's repository and deploy to each environment's namespace and cluster, and create those
 * namespaces (the only cluster-scoped kind it allows). Pure.
 *
 * @public
 */
export function buildAppProject(
  resolved: ResolvedApplicationsInput,
): AppProject {
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
