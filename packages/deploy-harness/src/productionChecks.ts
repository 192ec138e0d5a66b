/*
 * What the portal's rendered chart must be to run as several replicas in production, on
 * top of the template harness's checks (strict schemas, Pod Security "restricted",
 * Backstage labels). Pure: objects, the production config and the chart's values in,
 * one line per problem out, each naming the object and the rule.
 */
import { K8sObject, nameOf } from '@runway/template-harness';
import { durationSeconds, serverShutdownDelaySeconds } from './chart';

export const READINESS_PATH = '/.backstage/health/v1/readiness';
export const LIVENESS_PATH = '/.backstage/health/v1/liveness';
/** Seconds for an endpoint change to reach kube-proxy and the mesh, beyond the probe's detection. */
export const ENDPOINT_PROPAGATION_SECONDS = 5;
/**
 * The events plugin's long polls (its notify timeout): the plugins' own requests to the
 * event bus, which the server lets finish after the shutdown delay before it stops.
 */
export const EVENT_BUS_POLL_SECONDS = 55;
const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';
const SECRET_NAME =
  /(TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE|CREDENTIAL|API_?KEY)/i;
/** Values that are secrets whatever their key: GitHub tokens, AWS keys, private keys. */
const SECRET_VALUE =
  /^(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|A(KIA|SIA)[0-9A-Z]{16})$|-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export type ProductionContext = {
  /** app-config.production.yaml, parsed. */
  config: any;
  /** The chart's values (values.yaml with the environment's file on top). */
  values: any;
};

function matches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The environment variables the config reads (`${VAR}`, not `${VAR:-default}`). */
export function configVariables(config: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
        found.add(m[1]);
      }
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object')
      Object.values(value).forEach(walk);
  };
  walk(config);
  return [...found].sort();
}

/** Paths of values that hold a secret: by key (a password…) or by shape (a token). */
export function secretsInValues(values: unknown, path = ''): string[] {
  if (typeof values === 'string') {
    const key = path.split('.').pop() ?? '';
    const byKey =
      /(password|passwd|secret|token|apikey|privatekey|credential)s?$/i.test(
        key,
      ) && values !== '';
    return byKey || SECRET_VALUE.test(values) ? [path] : [];
  }
  if (Array.isArray(values)) {
    return values.flatMap((v, i) => secretsInValues(v, `${path}[${i}]`));
  }
  if (values && typeof values === 'object') {
    return Object.entries(values).flatMap(([k, v]) =>
      secretsInValues(v, path ? `${path}.${k}` : k),
    );
  }
  return [];
}

export function checkProductionChart(
  objects: K8sObject[],
  context: ProductionContext,
): string[] {
  const problems: string[] = [];
  const of = (kind: string) => objects.filter(o => o.kind === kind);
  const deployments = of('Deployment');
  if (deployments.length !== 1) {
    return [`the chart renders ${deployments.length} Deployments, expected 1`];
  }
  const deployment = deployments[0] as any;
  const where = nameOf(deployment);
  const pod = deployment.spec?.template ?? {};
  const podLabels: Record<string, string> = pod.metadata?.labels ?? {};
  const podSpec = pod.spec ?? {};
  const containers: any[] = podSpec.containers ?? [];
  const container = containers[0] ?? {};
  const env: any[] = container.env ?? [];

  // Replicas: two or more, from the Deployment or the HPA that owns it.
  const hpa = of('HorizontalPodAutoscaler').find(
    (h: any) =>
      h.spec?.scaleTargetRef?.kind === 'Deployment' &&
      h.spec?.scaleTargetRef?.name === deployment.metadata?.name,
  ) as any;
  const minReplicas: number = hpa
    ? hpa.spec.minReplicas ?? 1
    : deployment.spec?.replicas ?? 1;
  if (minReplicas < 2) {
    problems.push(
      `${where}: runs ${minReplicas} replica(s) at least (${
        hpa ? nameOf(hpa) : 'spec.replicas'
      }); the portal needs two or more`,
    );
  }
  if (hpa && deployment.spec?.replicas !== undefined) {
    problems.push(
      `${where}: sets spec.replicas while ${nameOf(
        hpa,
      )} scales it (Argo CD would fight the HPA)`,
    );
  }

  // A PodDisruptionBudget that protects the pods and still allows a drain.
  const pdbs = of('PodDisruptionBudget').filter((p: any) =>
    matches(p.spec?.selector?.matchLabels, podLabels),
  ) as any[];
  if (pdbs.length === 0) {
    problems.push(`${where}: no PodDisruptionBudget selects its pods`);
  }
  for (const pdb of pdbs) {
    const { maxUnavailable, minAvailable } = pdb.spec;
    let allowsOne: boolean;
    if (maxUnavailable === undefined) {
      allowsOne =
        typeof minAvailable === 'number' && minAvailable < minReplicas;
    } else if (typeof maxUnavailable === 'number') {
      allowsOne = maxUnavailable >= 1;
    } else {
      allowsOne = parseInt(String(maxUnavailable), 10) > 0;
    }
    if (!allowsOne) {
      problems.push(
        `${nameOf(
          pdb,
        )}: allows no disruption with ${minReplicas} replicas, so it blocks node drains`,
      );
    }
  }

  // Probes on Backstage's health endpoints, on the container's http port.
  const ports: string[] = (container.ports ?? []).map((p: any) => p.name);
  const probe = (name: string, path: string) => {
    const p = container[name];
    if (!p?.httpGet) {
      problems.push(`${where}: container ${container.name} has no ${name}`);
      return;
    }
    if (p.httpGet.path !== path) {
      problems.push(
        `${where}: ${name} is on ${p.httpGet.path}, not Backstage's ${path}`,
      );
    }
    if (!ports.includes(p.httpGet.port)) {
      problems.push(
        `${where}: ${name} probes port ${p.httpGet.port}, which the container does not name`,
      );
    }
  };
  probe('readinessProbe', READINESS_PATH);
  probe('livenessProbe', LIVENESS_PATH);
  // Started means ready: a start that hangs is restarted, not left running unready.
  probe('startupProbe', READINESS_PATH);

  // Shutdown: the backend's drain covers the probe noticing it, the pod's grace covers the drain.
  const readiness = container.readinessProbe ?? {};
  const detection =
    (readiness.periodSeconds ?? 10) * (readiness.failureThreshold ?? 3) +
    (readiness.timeoutSeconds ?? 1);
  let delay: number | undefined;
  try {
    delay = serverShutdownDelaySeconds(context.config);
  } catch (e) {
    problems.push(`app-config.production.yaml: ${(e as Error).message}`);
  }
  if (delay !== undefined) {
    if (delay < detection + ENDPOINT_PROPAGATION_SECONDS) {
      problems.push(
        `app-config.production.yaml: backend.lifecycle.serverShutdownDelay is ${delay} s; the readiness probe needs up to ${detection} s to notice a shutdown, plus ${ENDPOINT_PROPAGATION_SECONDS} s for the endpoint change to spread`,
      );
    }
    const grace = podSpec.terminationGracePeriodSeconds ?? 30;
    if (grace <= delay + EVENT_BUS_POLL_SECONDS) {
      problems.push(
        `${where}: terminationGracePeriodSeconds ${grace} is not longer than the backend's drain: serverShutdownDelay (${delay} s) plus the event bus' long polls (${EVENT_BUS_POLL_SECONDS} s)`,
      );
    }
    const proxyConfig: string =
      pod.metadata?.annotations?.['proxy.istio.io/config'] ?? '';
    const drain = proxyConfig.match(/terminationDrainDuration:\s*(\S+)/)?.[1];
    if (podLabels['sidecar.istio.io/inject'] === 'true') {
      const drainSeconds = drain
        ? durationSeconds(drain, 'terminationDrainDuration')
        : 5;
      if (drainSeconds < delay) {
        problems.push(
          `${where}: the Istio sidecar drains for ${drainSeconds} s, less than the backend's serverShutdownDelay (${delay} s)`,
        );
      }
    }
  }

  // No secret in values, in plain env vars, or in a rendered Secret.
  for (const path of secretsInValues(context.values)) {
    problems.push(
      `values: ${path} holds a secret; use secrets (Secrets Manager)`,
    );
  }
  for (const variable of env) {
    if (variable.value !== undefined && SECRET_NAME.test(variable.name)) {
      problems.push(
        `${where}: env ${variable.name} is a plain value; a secret must come from a secretKeyRef`,
      );
    }
  }
  for (const secret of of('Secret')) {
    problems.push(`${nameOf(secret)}: the chart must not render Secrets`);
  }

  // Every variable app-config.production.yaml reads is set.
  const names = new Set(env.map(e => e.name));
  for (const variable of configVariables(context.config)) {
    if (!names.has(variable)) {
      problems.push(
        `${where}: app-config.production.yaml reads \${${variable}}, which the container does not set`,
      );
    }
  }

  // Secrets Manager values through the Secrets Store CSI driver.
  const fromSecrets = env.filter(e => e.valueFrom?.secretKeyRef);
  const spcs = of('SecretProviderClass') as any[];
  const volumes: any[] = podSpec.volumes ?? [];
  const csi = volumes.find(v => v.csi?.driver === 'secrets-store.csi.k8s.io');
  const unmounted = new Set<string>();
  for (const variable of fromSecrets) {
    const { name: secretName, key } = variable.valueFrom.secretKeyRef;
    const cnpg = of('Cluster').some(
      (c: any) =>
        secretName === `${c.metadata?.name}-app` ||
        secretName === `${c.metadata?.name}-ca`,
    );
    if (cnpg) continue;
    const spc = spcs.find((s: any) =>
      (s.spec?.secretObjects ?? []).some(
        (o: any) =>
          o.secretName === secretName &&
          (o.data ?? []).some((d: any) => d.key === key),
      ),
    );
    if (!spc) {
      problems.push(
        `${where}: env ${variable.name} reads ${secretName}/${key}, which no SecretProviderClass syncs (nor CloudNativePG creates)`,
      );
    } else if (
      csi?.csi?.volumeAttributes?.secretProviderClass !== spc.metadata?.name &&
      !unmounted.has(spc.metadata?.name)
    ) {
      unmounted.add(spc.metadata?.name);
      problems.push(
        `${where}: does not mount the CSI volume of ${nameOf(
          spc,
        )}, so its Secret is never synced`,
      );
    }
  }

  // The ServiceAccount with an IAM role: IRSA (its annotation), or else an EKS Pod Identity
  // association (made outside the chart, e.g. by the platform environment), which the
  // Secrets Store CSI driver's AWS provider must be told to use.
  const account = of('ServiceAccount').find(
    s => s.metadata?.name === podSpec.serviceAccountName,
  );
  const irsa = (account?.metadata as any)?.annotations?.[IRSA_ANNOTATION];
  const secretClasses = of('SecretProviderClass') as any[];
  if (!account) {
    problems.push(
      `${where}: its ServiceAccount ${podSpec.serviceAccountName} is not rendered`,
    );
  } else if (!irsa && context.values?.serviceAccount?.roleArn) {
    problems.push(`${nameOf(account)}: missing the IRSA annotation`);
  } else if (
    !irsa &&
    secretClasses.some(c => c.spec?.parameters?.usePodIdentity !== 'true')
  ) {
    problems.push(
      `${nameOf(
        account,
      )}: no IAM role: neither IRSA (${IRSA_ANNOTATION}) nor EKS Pod Identity (SecretProviderClass parameters.usePodIdentity "true"); production needs one to reach the EKS clusters, S3 and Secrets Manager`,
    );
  } else if (irsa) {
    for (const spc of secretClasses) {
      if (spc.spec?.parameters?.usePodIdentity === 'true') {
        problems.push(
          `${nameOf(
            spc,
          )}: uses Pod Identity while the ServiceAccount has an IRSA role`,
        );
      }
    }
  }

  // Spread over nodes and zones.
  const spread: any[] = podSpec.topologySpreadConstraints ?? [];
  for (const key of ['kubernetes.io/hostname', 'topology.kubernetes.io/zone']) {
    const constraint = spread.find(c => c.topologyKey === key);
    if (!constraint) {
      problems.push(`${where}: no topology spread over ${key}`);
    } else if (!matches(constraint.labelSelector?.matchLabels, podLabels)) {
      problems.push(
        `${where}: the topology spread over ${key} does not select its pods`,
      );
    }
  }

  // A NetworkPolicy restricts who reaches the pods.
  const policy = of('NetworkPolicy').find((p: any) =>
    matches(p.spec?.podSelector?.matchLabels, podLabels),
  ) as any;
  if (!policy) {
    problems.push(`${where}: no NetworkPolicy selects its pods`);
  } else if (!(policy.spec.policyTypes ?? []).includes('Ingress')) {
    problems.push(`${nameOf(policy)}: does not restrict ingress`);
  }

  // Its database: CloudNativePG with three instances, WAL archiving and scheduled backups.
  const clusters = of('Cluster') as any[];
  const dbHost = env.find(e => e.name === 'POSTGRES_HOST');
  const cluster = clusters.find(
    c => dbHost?.valueFrom?.secretKeyRef?.name === `${c.metadata.name}-app`,
  );
  if (!cluster) {
    problems.push(
      `${where}: POSTGRES_HOST does not come from a rendered CloudNativePG Cluster's secret`,
    );
  } else {
    if ((cluster.spec.instances ?? 1) < 3) {
      problems.push(
        `${nameOf(cluster)}: ${
          cluster.spec.instances
        } instance(s); the portal's database runs three`,
      );
    }
    const archiver = (cluster.spec.plugins ?? []).find(
      (p: any) => p.isWALArchiver,
    );
    if (!archiver) {
      problems.push(
        `${nameOf(cluster)}: no WAL archiving (Barman Cloud plugin)`,
      );
    }
    const scheduled = of('ScheduledBackup').some(
      (b: any) => b.spec?.cluster?.name === cluster.metadata.name,
    );
    if (!scheduled) {
      problems.push(`${nameOf(cluster)}: no ScheduledBackup`);
    }
  }
  return problems;
}

/** The pool size of one plugin: backend.database.plugin.<id>.knexConfig.pool.max, else the base one. */
export function poolMax(config: any, pluginId: string): number {
  const database = config?.backend?.database ?? {};
  return (
    database.plugin?.[pluginId]?.knexConfig?.pool?.max ??
    database.knexConfig?.pool?.max ??
    // knex's default
    10
  );
}

/**
 * Connections a starting replica opens besides its pools: the startup lock's
 * (packages/backend-startup-lock), Backstage's schema administration pool (one connection,
 * closed after 10 s idle), and the previous starter's, not closed yet. Replicas start one
 * at a time; one that waits for the lock holds only the lock's connection, no pool.
 */
export const STARTUP_CONNECTIONS = 3;

/**
 * The most connections the portal can open: every replica (during a rollout, maxReplicas
 * plus the surge) with a full pool for each plugin that uses the database, plus one
 * replica starting.
 */
export function connectionBudget(options: {
  config: any;
  plugins: string[];
  maxReplicas: number;
  maxSurge: number;
}): { perReplica: number; total: number } {
  const perReplica = options.plugins.reduce(
    (sum, plugin) => sum + poolMax(options.config, plugin),
    0,
  );
  return {
    perReplica,
    total:
      perReplica * (options.maxReplicas + options.maxSurge) +
      STARTUP_CONNECTIONS,
  };
}
