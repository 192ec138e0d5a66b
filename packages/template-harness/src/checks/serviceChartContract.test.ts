import type { K8sObject } from './manifests';
import type { Application } from './platform';
import {
  ChartAssumptions,
  chartAssumptions,
  checkServiceChartContract,
  PlatformFacts,
  platformFacts,
  selectorRequirements,
} from './serviceChartContract';
import { matchesLabelSelector } from '@runway/plugin-runway-common';

describe('selectorRequirements', () => {
  it.each([
    [{}, {}, true],
    [{ matchLabels: { release: 'kps' } }, { release: 'kps' }, true],
    [{ matchLabels: { release: 'kps' } }, { release: 'other' }, false],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { a: '' }, true],
    [
      { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] },
      { a: 'x' },
      false,
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'In', values: ['x', 'y'] }] },
      { a: 'y' },
      true,
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] },
      {},
      true,
    ],
  ])('%j selects %j: %s', (selector, labels, expected) => {
    expect(matchesLabelSelector(selectorRequirements(selector), labels)).toBe(
      expected,
    );
  });

  it('refuses an operator Kubernetes does not know', () => {
    expect(() =>
      selectorRequirements({
        matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }],
      }),
    ).toThrow('unknown label selector operator Gt');
  });
});

/** The chart's side as the service chart renders it with canary routing. */
function chart(overrides: Partial<ChartAssumptions> = {}): ChartAssumptions {
  return {
    monitors: [
      {
        kind: 'PodMonitor',
        name: 'orders-api',
        labels: { app: 'orders-api', release: 'kube-prometheus-stack' },
      },
    ],
    dashboards: [
      { name: 'orders-api-dashboard', labels: { grafana_dashboard: '1' } },
    ],
    scrapeCertificateFiles: [],
    mergedMetricsScrapes: ['PodMonitor/orders-api'],
    meshWorkloads: ['Rollout/orders-api'],
    istioRollouts: ['Rollout/orders-api'],
    prometheusAddresses: [
      'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090',
    ],
    monitoringNamespace: 'monitoring',
    ingressGatewayNamespace: 'istio-ingress',
    ...overrides,
  };
}

/** The platform's side as the template's add-ons provide it. */
function platform(overrides: Partial<PlatformFacts> = {}): PlatformFacts {
  return {
    prometheus: {
      namespace: 'monitoring',
      url: 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090',
      selectors: {
        ServiceMonitor: {},
        PodMonitor: {},
        PrometheusRule: {},
        Probe: {},
      },
    },
    grafanaDashboards: {
      label: 'grafana_dashboard',
      labelValue: '1',
      searchNamespace: 'ALL',
    },
    istio: {
      cni: true,
      sidecarSeccomp: 'RuntimeDefault',
      prometheusMerge: true,
    },
    rollouts: { istio: true },
    ingressGatewayNamespace: 'istio-ingress',
    ...overrides,
  };
}

describe('checkServiceChartContract', () => {
  it('accepts a platform that provides what the chart assumes', () => {
    expect(checkServiceChartContract(chart(), platform())).toEqual([]);
  });

  it('accepts the analysis address in its short forms', () => {
    const c = chart({
      prometheusAddresses: [
        'http://kube-prometheus-stack-prometheus.monitoring:9090',
        'http://kube-prometheus-stack-prometheus.monitoring.svc:9090/',
      ],
    });
    expect(checkServiceChartContract(c, platform())).toEqual([]);
  });

  describe('fails when the chart changes alone', () => {
    it.each([
      [
        'the dashboard label',
        { dashboards: [{ name: 'd', labels: { grafana_dashboard: 'true' } }] },
        'chart ConfigMap/d has labels {"grafana_dashboard":"true"}, but the platform\'s Grafana loads dashboards labelled grafana_dashboard: "1"',
      ],
      [
        'the monitoring namespace',
        { monitoringNamespace: 'observability' },
        'chart networkPolicy.monitoringNamespace is "observability", but the platform runs Prometheus in "monitoring"',
      ],
      [
        'the Prometheus address',
        { prometheusAddresses: ['http://prometheus-operated.monitoring:9090'] },
        "chart analysis queries Prometheus at http://prometheus-operated.monitoring:9090, but the platform's Prometheus is http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090",
      ],
      [
        'to scraping over Istio mTLS with certificates',
        { scrapeCertificateFiles: ['/etc/prom-certs/cert-chain.pem'] },
        "chart monitors scrape with /etc/prom-certs/cert-chain.pem, but the platform's Prometheus holds Istio certificates nowhere",
      ],
      [
        'the ingress gateway namespace',
        { ingressGatewayNamespace: 'gateways' },
        'chart networkPolicy.ingressGatewayNamespace is "gateways", but the platform runs its ingress gateway in "istio-ingress"',
      ],
    ])('%s', (_case, overrides, problem) => {
      expect(checkServiceChartContract(chart(overrides), platform())).toEqual([
        problem,
      ]);
    });
  });

  describe('fails when the platform changes alone', () => {
    const prometheus = platform().prometheus!;
    it.each([
      [
        'a Prometheus that selects monitors by release label',
        {
          prometheus: {
            ...prometheus,
            selectors: {
              ...prometheus.selectors,
              PodMonitor: {
                matchLabels: { release: 'prometheus' },
              },
            },
          },
        },
        'chart PodMonitor/orders-api has labels {"app":"orders-api","release":"kube-prometheus-stack"}, which the platform\'s Prometheus does not select (PodMonitor selector {"matchLabels":{"release":"prometheus"}})',
      ],
      [
        'an Istio sidecar for certificates in Prometheus',
        {
          prometheus: {
            ...prometheus,
            istioCertificatesPath: '/etc/prom-certs/',
          },
        },
        "the platform's Prometheus runs an Istio sidecar for certificates in /etc/prom-certs/, but no chart monitor scrapes with them: drop it from kube-prometheus-stack's values",
      ],
      [
        'metrics merging off',
        {
          istio: {
            cni: true,
            sidecarSeccomp: 'RuntimeDefault',
            prometheusMerge: false,
          },
        },
        "chart PodMonitor/orders-api scrape Istio's merged metrics on :15020/stats/prometheus, but the platform's istiod sets meshConfig.enablePrometheusMerge false",
      ],
      [
        'Grafana looking in one namespace',
        {
          grafanaDashboards: {
            label: 'grafana_dashboard',
            labelValue: '1',
            searchNamespace: 'monitoring',
          },
        },
        "the platform's Grafana looks for dashboards in monitoring only, not in the services' namespaces",
      ],
      [
        'Istio without CNI',
        {
          istio: {
            cni: false,
            sidecarSeccomp: 'RuntimeDefault',
            prometheusMerge: true,
          },
        },
        'chart Rollout/orders-api join the mesh under Pod Security "restricted", which needs Istio\'s CNI agent (the cni chart and istiod pilot.cni.enabled)',
      ],
      [
        'sidecars without a seccomp profile',
        { istio: { cni: true, prometheusMerge: true } },
        'chart Rollout/orders-api join the mesh under Pod Security "restricted", which needs istiod global.proxy.seccompProfile.type RuntimeDefault (found none)',
      ],
      [
        'Argo Rollouts without its Istio RBAC',
        { rollouts: { istio: false } },
        "chart Rollout/orders-api route canary traffic with Istio, but the platform's Argo Rollouts may not change Istio objects (providerRBAC)",
      ],
      [
        'no Argo Rollouts',
        { rollouts: undefined },
        'chart Rollout/orders-api route canary traffic with Istio, but no add-on installs Argo Rollouts',
      ],
      [
        'the gateway in another namespace',
        { ingressGatewayNamespace: 'istio-system' },
        'chart networkPolicy.ingressGatewayNamespace is "istio-ingress", but the platform runs its ingress gateway in "istio-system"',
      ],
    ])('%s', (_case, overrides, problem) => {
      expect(checkServiceChartContract(chart(), platform(overrides))).toEqual([
        problem,
      ]);
    });
  });
});

describe('chartAssumptions', () => {
  it('reads monitors, dashboards, certificates, merged-metrics scrapes, mesh pods, Istio rollouts, analysis addresses and namespaces', () => {
    const objects: K8sObject[] = [
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'svc', labels: { a: 'b' } },
        spec: {
          endpoints: [
            { tlsConfig: { caFile: '/etc/prom-certs/root-cert.pem' } },
          ],
        },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: 'svc', labels: { release: 'kps' } },
        spec: {
          podMetricsEndpoints: [
            { portNumber: 15020, path: '/stats/prometheus' },
          ],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'svc-dashboard', labels: { grafana_dashboard: '1' } },
        data: { 'svc-red.json': '{}' },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'svc-config' },
        data: { 'app.yaml': '' },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'svc' },
        spec: {
          template: {
            metadata: { labels: { 'sidecar.istio.io/inject': 'true' } },
            spec: { containers: [{ name: 'svc', image: 'svc:1' }] },
          },
          strategy: { canary: { trafficRouting: { istio: {} } } },
        },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisTemplate',
        metadata: { name: 'success' },
        spec: {
          metrics: [
            {
              provider: { prometheus: { address: 'http://p.monitoring:9090' } },
            },
          ],
        },
      },
    ];
    const values = {
      networkPolicy: {
        monitoringNamespace: 'monitoring',
        ingressGatewayNamespace: 'istio-ingress',
      },
    };
    expect(chartAssumptions(objects, values)).toEqual({
      monitors: [
        { kind: 'ServiceMonitor', name: 'svc', labels: { a: 'b' } },
        { kind: 'PodMonitor', name: 'svc', labels: { release: 'kps' } },
      ],
      dashboards: [
        { name: 'svc-dashboard', labels: { grafana_dashboard: '1' } },
      ],
      scrapeCertificateFiles: ['/etc/prom-certs/root-cert.pem'],
      mergedMetricsScrapes: ['PodMonitor/svc'],
      meshWorkloads: ['Rollout/svc'],
      istioRollouts: ['Rollout/svc'],
      prometheusAddresses: ['http://p.monitoring:9090'],
      monitoringNamespace: 'monitoring',
      ingressGatewayNamespace: 'istio-ingress',
    });
  });
});

describe('platformFacts', () => {
  const app = (
    name: string,
    chartName: string,
    namespace: string,
    valuesObject: Record<string, any> = {},
  ): Application =>
    ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name },
      file: `addons/${name}.yaml`,
      spec: {
        source: {
          repoURL: 'https://charts.example',
          chart: chartName,
          targetRevision: '1.0.0',
          helm: { releaseName: name, valuesObject },
        },
        destination: { namespace },
      },
    } as Application);

  it("reads kube-prometheus-stack's selectors, address and dashboards the way its chart does", () => {
    const facts = platformFacts([
      app('kube-prometheus-stack', 'kube-prometheus-stack', 'monitoring', {
        prometheus: {
          prometheusSpec: { serviceMonitorSelectorNilUsesHelmValues: false },
        },
      }),
    ]);
    expect(facts.prometheus).toEqual({
      namespace: 'monitoring',
      url: 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090',
      selectors: {
        ServiceMonitor: {},
        PodMonitor: { matchLabels: { release: 'kube-prometheus-stack' } },
        PrometheusRule: { matchLabels: { release: 'kube-prometheus-stack' } },
        Probe: { matchLabels: { release: 'kube-prometheus-stack' } },
      },
      istioCertificatesPath: undefined,
    });
    expect(facts.grafanaDashboards).toEqual({
      label: 'grafana_dashboard',
      labelValue: '1',
      searchNamespace: 'ALL',
    });
  });

  it('names the Prometheus Service as the chart does: release-chart, truncated to 26 characters', () => {
    const facts = platformFacts([
      app('monitoring', 'kube-prometheus-stack', 'obs'),
    ]);
    expect(facts.prometheus?.url).toBe(
      'http://monitoring-kube-prometheus-prometheus.obs.svc.cluster.local:9090',
    );
  });

  it('reads Istio CNI, the sidecar seccomp profile, metrics merging, Rollouts RBAC and the gateway namespace', () => {
    const facts = platformFacts([
      app('istio-cni', 'cni', 'istio-system'),
      app('istiod', 'istiod', 'istio-system', {
        pilot: { cni: { enabled: true } },
        global: { proxy: { seccompProfile: { type: 'RuntimeDefault' } } },
        meshConfig: { enablePrometheusMerge: false },
      }),
      app('argo-rollouts', 'argo-rollouts', 'argo-rollouts', {
        providerRBAC: { providers: { istio: false } },
      }),
      app('istio-ingressgateway', 'gateway', 'istio-ingress'),
    ]);
    expect(facts).toEqual({
      istio: {
        cni: true,
        sidecarSeccomp: 'RuntimeDefault',
        prometheusMerge: false,
      },
      rollouts: { istio: false },
      ingressGatewayNamespace: 'istio-ingress',
    });
  });
});
