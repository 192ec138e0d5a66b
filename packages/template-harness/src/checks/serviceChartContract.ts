/*
 * The contract between Runway's service chart (templates/skeletons/chart) and the platform the
 * platform-environment template builds. Both sides are read, not restated: what the chart
 * assumes comes from its rendered objects and values.yaml (chartAssumptions), what the platform
 * provides from its rendered add-on Applications, interpreted the way their charts do
 * (platformFacts). checkServiceChartContract compares them, so a change on either side alone
 * fails with a message naming both.
 */
import {
  LabelSelectorRequirement,
  matchesLabelSelector,
} from '@runway/plugin-runway-common';
import { podOfTemplate } from '@runway/control-plane';
import type { K8sObject } from './manifests';
import { nameOf } from './objects';
import type { Application } from './platform';

// ------------------------------------------------------------------ label selectors

export type LabelSelector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};

/** A LabelSelector object as the requirements runway-common matches ({} matches everything). */
export function selectorRequirements(
  selector: LabelSelector,
): LabelSelectorRequirement[] {
  return [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
      key,
      operator: 'In' as const,
      values: [value],
    })),
    ...(selector.matchExpressions ?? []).map(({ key, operator, values }) => {
      if (operator === 'In' || operator === 'NotIn') {
        return { key, operator, values: values ?? [] } as const;
      }
      if (operator === 'Exists' || operator === 'DoesNotExist') {
        return { key, operator } as const;
      }
      throw new Error(`unknown label selector operator ${operator}`);
    }),
  ];
}

const selects = (selector: LabelSelector, labels: Record<string, string>) =>
  matchesLabelSelector(selectorRequirements(selector), labels);

// ------------------------------------------------------------------ the chart's side

/** What the service chart assumes of the platform, read from its objects and values. */
export type ChartAssumptions = {
  /** Monitoring objects Prometheus must select: kind, name and labels. */
  monitors: { kind: string; name: string; labels: Record<string, string> }[];
  /** Labels of the ConfigMaps that carry Grafana dashboards (a *.json data key). */
  dashboards: { name: string; labels: Record<string, string> }[];
  /** Certificate files monitor endpoints scrape with (tlsConfig caFile/certFile/keyFile). */
  scrapeCertificateFiles: string[];
  /**
   * Monitors that scrape Istio's merged metrics (the sidecar agent's plain-HTTP
   * :15020/stats/prometheus), which exist only with the mesh's metrics merging on.
   */
  mergedMetricsScrapes: string[];
  /** Pods that join the mesh (sidecar.istio.io/inject: "true"). */
  meshWorkloads: string[];
  /** Rollouts whose canary routes traffic with Istio. */
  istioRollouts: string[];
  /** Prometheus addresses of the analysis templates. */
  prometheusAddresses: string[];
  /** values.yaml networkPolicy.monitoringNamespace: where the chart admits Prometheus from. */
  monitoringNamespace?: string;
  /** values.yaml networkPolicy.ingressGatewayNamespace. */
  ingressGatewayNamespace?: string;
};

/** Where Istio's sidecar agent serves the merged metrics (metrics merging). */
const ISTIO_AGENT_PORT = 15020;
const ISTIO_MERGED_METRICS_PATH = '/stats/prometheus';

const MONITOR_KINDS = [
  'ServiceMonitor',
  'PodMonitor',
  'PrometheusRule',
  'Probe',
];

/**
 * The chart's assumptions from the objects it renders (any number of renders: every
 * environment and option) and its values.yaml.
 */
export function chartAssumptions(
  objects: K8sObject[],
  values: Record<string, any>,
): ChartAssumptions {
  const unique = (items: string[]) => [...new Set(items)].sort();
  const monitors = objects.filter(o => MONITOR_KINDS.includes(o.kind ?? ''));
  const endpoints = monitors.flatMap(o => {
    const spec = o.spec as any;
    return [...(spec?.endpoints ?? []), ...(spec?.podMetricsEndpoints ?? [])];
  });
  return {
    monitors: monitors.map(o => ({
      kind: o.kind!,
      name: o.metadata?.name ?? '',
      labels: o.metadata?.labels ?? {},
    })),
    dashboards: objects
      .filter(
        o =>
          o.kind === 'ConfigMap' &&
          Object.keys((o as any).data ?? {}).some(k => k.endsWith('.json')),
      )
      .map(o => ({
        name: o.metadata?.name ?? '',
        labels: o.metadata?.labels ?? {},
      })),
    scrapeCertificateFiles: unique(
      endpoints.flatMap(e =>
        ['caFile', 'certFile', 'keyFile']
          .map(k => e.tlsConfig?.[k])
          .filter((f): f is string => typeof f === 'string'),
      ),
    ),
    mergedMetricsScrapes: unique(
      monitors
        .filter(o => {
          const spec = o.spec as any;
          return [
            ...(spec?.endpoints ?? []),
            ...(spec?.podMetricsEndpoints ?? []),
          ].some(
            (e: any) =>
              (e.portNumber === ISTIO_AGENT_PORT ||
                e.targetPort === ISTIO_AGENT_PORT) &&
              e.path === ISTIO_MERGED_METRICS_PATH,
          );
        })
        .map(nameOf),
    ),
    meshWorkloads: unique(
      objects
        .filter(o => {
          const t = podOfTemplate(o)?.metadata;
          return (
            t?.labels?.['sidecar.istio.io/inject'] === 'true' ||
            t?.annotations?.['sidecar.istio.io/inject'] === 'true'
          );
        })
        .map(nameOf),
    ),
    istioRollouts: unique(
      objects
        .filter(
          o =>
            o.kind === 'Rollout' &&
            (o.spec as any)?.strategy?.canary?.trafficRouting?.istio,
        )
        .map(nameOf),
    ),
    prometheusAddresses: unique(
      objects
        .filter(o =>
          ['AnalysisTemplate', 'ClusterAnalysisTemplate'].includes(
            o.kind ?? '',
          ),
        )
        .flatMap(o => (o.spec as any)?.metrics ?? [])
        .map((m: any) => m.provider?.prometheus?.address)
        .filter((a: unknown): a is string => typeof a === 'string'),
    ),
    monitoringNamespace: values.networkPolicy?.monitoringNamespace,
    ingressGatewayNamespace: values.networkPolicy?.ingressGatewayNamespace,
  };
}

// ------------------------------------------------------------------ the platform's side

/** What the platform provides, as its add-ons' charts turn their values into objects. */
export type PlatformFacts = {
  prometheus?: {
    namespace: string;
    /** The in-cluster URL of its Service. */
    url: string;
    /** The selector of each monitor kind (label selector; {} selects all). */
    selectors: Record<string, LabelSelector>;
    /** Where its pods hold Istio workload certificates (a volume Istio's sidecar writes). */
    istioCertificatesPath?: string;
  };
  grafanaDashboards?: {
    label: string;
    labelValue: string;
    searchNamespace: string;
  };
  istio: {
    cni: boolean;
    sidecarSeccomp?: string;
    /** meshConfig.enablePrometheusMerge (Istio's default: on). */
    prometheusMerge: boolean;
  };
  rollouts?: { istio: boolean };
  ingressGatewayNamespace?: string;
};

const byChart = (apps: Application[], chart: string) =>
  apps.find(a => a.spec.source.chart === chart);
const valuesOf = (app?: Application): Record<string, any> =>
  app?.spec.source.helm?.valuesObject ?? {};
const releaseOf = (app: Application) =>
  app.spec.source.helm?.releaseName ?? app.metadata?.name ?? '';

/**
 * kube-prometheus-stack's selector for one monitor kind, as its Prometheus template computes it:
 * the given selector; else, with `<kind>SelectorNilUsesHelmValues` (default true), the release
 * label; else everything.
 */
function kubePrometheusSelector(
  spec: Record<string, any>,
  key: string,
  release: string,
): LabelSelector {
  const given = spec[`${key}Selector`];
  if (given && Object.keys(given).length > 0) return given;
  if (spec[`${key}SelectorNilUsesHelmValues`] ?? true) {
    return { matchLabels: { release } };
  }
  return {};
}

/** kube-prometheus-stack's fullname: fullnameOverride, else the release (containing the chart name), truncated to 26. */
function kubePrometheusFullname(values: Record<string, any>, release: string) {
  const chart = values.nameOverride || 'kube-prometheus-stack';
  let name = `${release}-${chart}`;
  if (values.fullnameOverride) name = values.fullnameOverride;
  else if (release.includes(chart)) name = release;
  return name.slice(0, 26).replace(/-+$/, '');
}

/** The platform's facts from its add-on Applications. */
export function platformFacts(apps: Application[]): PlatformFacts {
  const facts: PlatformFacts = { istio: { cni: false, prometheusMerge: true } };

  const kps = byChart(apps, 'kube-prometheus-stack');
  if (kps) {
    const values = valuesOf(kps);
    const release = releaseOf(kps);
    const spec = values.prometheus?.prometheusSpec ?? {};
    const port = values.prometheus?.service?.port ?? 9090;
    const namespace = kps.spec.destination.namespace;
    const certsVolume = (spec.volumes ?? []).find(
      (v: any) => v.name === 'istio-certs',
    );
    const writesCerts =
      spec.podMetadata?.labels?.['sidecar.istio.io/inject'] === 'true' &&
      /OUTPUT_CERTS:\s*\/etc\/istio-output-certs/.test(
        spec.podMetadata?.annotations?.['proxy.istio.io/config'] ?? '',
      ) &&
      (
        spec.podMetadata?.annotations?.['sidecar.istio.io/userVolumeMount'] ??
        ''
      ).includes('"istio-certs"');
    const mount = (spec.volumeMounts ?? []).find(
      (m: any) => m.name === 'istio-certs',
    );
    facts.prometheus = {
      namespace,
      url: `http://${kubePrometheusFullname(
        values,
        release,
      )}-prometheus.${namespace}.svc.cluster.local:${port}`,
      selectors: {
        ServiceMonitor: kubePrometheusSelector(spec, 'serviceMonitor', release),
        PodMonitor: kubePrometheusSelector(spec, 'podMonitor', release),
        PrometheusRule: kubePrometheusSelector(spec, 'rule', release),
        Probe: kubePrometheusSelector(spec, 'probe', release),
      },
      istioCertificatesPath:
        certsVolume && writesCerts && mount ? mount.mountPath : undefined,
    };
    const dashboards = values.grafana?.sidecar?.dashboards ?? {};
    if (values.grafana?.enabled !== false && dashboards.enabled !== false) {
      // kube-prometheus-stack's defaults, unless the values set them.
      facts.grafanaDashboards = {
        label: dashboards.label ?? 'grafana_dashboard',
        labelValue: String(dashboards.labelValue ?? '1'),
        searchNamespace: dashboards.searchNamespace ?? 'ALL',
      };
    }
  }

  const istiod = valuesOf(byChart(apps, 'istiod'));
  facts.istio = {
    cni: Boolean(byChart(apps, 'cni')) && istiod.pilot?.cni?.enabled === true,
    sidecarSeccomp: istiod.global?.proxy?.seccompProfile?.type,
    prometheusMerge: istiod.meshConfig?.enablePrometheusMerge !== false,
  };

  const rollouts = byChart(apps, 'argo-rollouts');
  if (rollouts) {
    const rbac = valuesOf(rollouts).providerRBAC ?? {};
    // The chart's defaults are true for both.
    facts.rollouts = {
      istio: rbac.enabled !== false && rbac.providers?.istio !== false,
    };
  }

  const gateway = byChart(apps, 'gateway');
  facts.ingressGatewayNamespace = gateway?.spec.destination.namespace;
  return facts;
}

// ------------------------------------------------------------------ the contract

/** A Service URL with its namespace resolved: svc, svc.ns, svc.ns.svc, svc.ns.svc.cluster.local. */
function canonicalServiceUrl(url: string): string {
  const m = url.match(/^(https?):\/\/([^/:]+)(?::(\d+))?(\/.*)?$/);
  if (!m) return url;
  const [, scheme, host, port, path] = m;
  const [service, namespace] = host.split('.');
  const defaultPort = scheme === 'https' ? '443' : '80';
  return `${scheme}://${service}.${namespace ?? '?'}:${port ?? defaultPort}${
    path && path !== '/' ? path : ''
  }`;
}

/**
 * The chart's assumptions against the platform's facts. Each problem names the chart side and
 * the platform side, so either can be fixed.
 */
export function checkServiceChartContract(
  chart: ChartAssumptions,
  platform: PlatformFacts,
): string[] {
  const problems: string[] = [];
  const prometheus = platform.prometheus;

  if (!prometheus) {
    if (chart.monitors.length > 0 || chart.prometheusAddresses.length > 0) {
      problems.push(
        'the chart renders monitors and analysis for Prometheus, but no add-on installs kube-prometheus-stack',
      );
    }
  } else {
    for (const monitor of chart.monitors) {
      const selector = prometheus.selectors[monitor.kind] ?? {};
      if (!selects(selector, monitor.labels)) {
        problems.push(
          `chart ${monitor.kind}/${monitor.name} has labels ${JSON.stringify(
            monitor.labels,
          )}, which the platform's Prometheus does not select (${
            monitor.kind
          } selector ${JSON.stringify(selector)})`,
        );
      }
    }
    if (
      chart.monitoringNamespace !== undefined &&
      chart.monitoringNamespace !== prometheus.namespace
    ) {
      problems.push(
        `chart networkPolicy.monitoringNamespace is "${chart.monitoringNamespace}", but the platform runs Prometheus in "${prometheus.namespace}"`,
      );
    }
    for (const address of chart.prometheusAddresses) {
      if (
        canonicalServiceUrl(address) !== canonicalServiceUrl(prometheus.url)
      ) {
        problems.push(
          `chart analysis queries Prometheus at ${address}, but the platform's Prometheus is ${prometheus.url}`,
        );
      }
    }
    const certDir = prometheus.istioCertificatesPath?.replace(/\/?$/, '/');
    const outside = chart.scrapeCertificateFiles.filter(
      f => !certDir || !f.startsWith(certDir),
    );
    if (outside.length > 0) {
      problems.push(
        `chart monitors scrape with ${outside.join(
          ', ',
        )}, but the platform's Prometheus holds Istio certificates ${
          certDir ? `in ${certDir} only` : 'nowhere'
        }`,
      );
    }
    if (certDir && chart.scrapeCertificateFiles.length === 0) {
      problems.push(
        `the platform's Prometheus runs an Istio sidecar for certificates in ${certDir}, but no chart monitor scrapes with them: drop it from kube-prometheus-stack's values`,
      );
    }
  }

  if (chart.dashboards.length > 0) {
    const grafana = platform.grafanaDashboards;
    for (const dashboard of chart.dashboards) {
      if (!grafana) {
        problems.push(
          `chart ConfigMap/${dashboard.name} is a Grafana dashboard, but the platform's Grafana loads no dashboards`,
        );
      } else if (dashboard.labels[grafana.label] !== grafana.labelValue) {
        problems.push(
          `chart ConfigMap/${dashboard.name} has labels ${JSON.stringify(
            dashboard.labels,
          )}, but the platform's Grafana loads dashboards labelled ${
            grafana.label
          }: "${grafana.labelValue}"`,
        );
      } else if (grafana.searchNamespace !== 'ALL') {
        problems.push(
          `the platform's Grafana looks for dashboards in ${grafana.searchNamespace} only, not in the services' namespaces`,
        );
      }
    }
  }

  if (chart.meshWorkloads.length > 0) {
    if (!platform.istio.cni) {
      problems.push(
        `chart ${chart.meshWorkloads.join(
          ', ',
        )} join the mesh under Pod Security "restricted", which needs Istio's CNI agent (the cni chart and istiod pilot.cni.enabled)`,
      );
    }
    if (platform.istio.sidecarSeccomp !== 'RuntimeDefault') {
      problems.push(
        `chart ${chart.meshWorkloads.join(
          ', ',
        )} join the mesh under Pod Security "restricted", which needs istiod global.proxy.seccompProfile.type RuntimeDefault (found ${
          platform.istio.sidecarSeccomp ?? 'none'
        })`,
      );
    }
  }

  if (
    chart.mergedMetricsScrapes.length > 0 &&
    !platform.istio.prometheusMerge
  ) {
    problems.push(
      `chart ${chart.mergedMetricsScrapes.join(
        ', ',
      )} scrape Istio's merged metrics on :${ISTIO_AGENT_PORT}${ISTIO_MERGED_METRICS_PATH}, but the platform's istiod sets meshConfig.enablePrometheusMerge false`,
    );
  }

  if (chart.istioRollouts.length > 0 && !platform.rollouts?.istio) {
    problems.push(
      `chart ${chart.istioRollouts.join(
        ', ',
      )} route canary traffic with Istio, but ${
        platform.rollouts
          ? "the platform's Argo Rollouts may not change Istio objects (providerRBAC)"
          : 'no add-on installs Argo Rollouts'
      }`,
    );
  }

  if (
    chart.ingressGatewayNamespace !== undefined &&
    chart.ingressGatewayNamespace !== platform.ingressGatewayNamespace
  ) {
    problems.push(
      `chart networkPolicy.ingressGatewayNamespace is "${
        chart.ingressGatewayNamespace
      }", but the platform runs its ingress gateway in "${
        platform.ingressGatewayNamespace ?? '(none)'
      }"`,
    );
  }
  return problems;
}
