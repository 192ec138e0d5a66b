/*
 * The service chart's canary release, run by the real Argo Rollouts controller (the version the
 * platform pins) on a real control plane: the production values' steps pause for a person with
 * the x-canary header route first, a promotion moves the VirtualService's weights, the Services
 * stay pinned to their revisions, and an analysis that Prometheus fails aborts the release with
 * all traffic back on stable. Prometheus is a small fake whose answer the test chooses; the
 * controller queries it with the chart's own AnalysisTemplates.
 */
import {
  rolloutSettled,
  ControlPlane,
  startControlPlane,
  startRolloutsController,
} from '@runway/control-plane';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CHART_CRDS } from './checks/apiServer';
import { helmBinary, K8sObject, renderChart } from './checks/manifests';
import { renderSkeleton } from './render';
import { partValues } from './__testUtils__/values';

jest.setTimeout(10 * 60_000);

const NS = 'orders-api';
const NAME = 'orders-api';

/** A Prometheus that answers every instant query with one sample the test sets. */
function fakePrometheus() {
  const state = { successRate: 1, latencyP99Ms: 20, queries: [] as string[] };
  const server: Server = createServer(async (req, res) => {
    // Prometheus' Go client POSTs the query as a form (GET as a fallback).
    let body = '';
    for await (const chunk of req) body += chunk;
    const query =
      new URLSearchParams(body).get('query') ??
      new URL(req.url ?? '/', 'http://prometheus').searchParams.get('query') ??
      '';
    state.queries.push(query);
    const value = query.includes('histogram_quantile')
      ? state.latencyP99Ms
      : state.successRate;
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        status: 'success',
        data: {
          resultType: 'vector',
          result: [{ metric: {}, value: [Date.now() / 1000, String(value)] }],
        },
      }),
    );
  });
  return { server, state };
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  describe: () => string,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}\n${describe()}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

describe('a canary release of the service chart under the real Argo Rollouts controller', () => {
  const work = mkdtempSync(join(tmpdir(), 'runway-canary-release-'));
  const prometheus = fakePrometheus();
  let plane: ControlPlane;
  let chart: string;

  beforeAll(async () => {
    prometheus.server.listen(0, '127.0.0.1');
    await once(prometheus.server, 'listening');
    const port = (prometheus.server.address() as AddressInfo).port;

    await renderSkeleton({
      skeleton: 'skeletons/chart',
      values: partValues({ canary: true, language: 'go' }),
      outDir: work,
    });
    chart = join(work, 'chart');
    // Production's values, with timed pauses made indefinite (the test promotes each step),
    // the fake Prometheus measured every two seconds, and a fixed size instead of the HPA.
    const production = parse(
      readFileSync(join(chart, 'values-production.yaml'), 'utf8'),
    );
    production.autoscaling = { enabled: false };
    production.canary.steps = production.canary.steps.map((step: any) =>
      step.pause ? { pause: {} } : step,
    );
    production.canary.analysis = { interval: '2s', failureLimit: 1 };
    production.monitoring = { prometheusAddress: `http://127.0.0.1:${port}` };
    writeFileSync(join(chart, 'values-e2e.yaml'), stringify(production));

    plane = await startControlPlane({ crds: CHART_CRDS, workloads: true });
    await startRolloutsController(plane);
    await plane.createNamespace(NS, {
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  }, 300_000);

  afterAll(async () => {
    await plane?.stop();
    prometheus.server.close();
    rmSync(work, { recursive: true, force: true });
  });

  const controllerLog = () => plane.processes['rollouts-controller'].tail();
  const release = async (tag: string) => {
    writeFileSync(
      join(chart, 'values-tag.yaml'),
      stringify({
        ...parse(readFileSync(join(chart, 'values-e2e.yaml'), 'utf8')),
        image: { tag },
      }),
    );
    const objects: K8sObject[] = await renderChart(
      helmBinary(),
      chart,
      'values-tag.yaml',
      { namespace: NS },
    );
    await plane.apply(
      objects.map(o => ({
        ...o,
        metadata: { ...o.metadata, namespace: NS },
      })) as any[],
    );
  };
  const rollout = () =>
    plane.getObject(
      `/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts/${NAME}`,
    );
  const http = async () =>
    (
      await plane.getObject(
        `/apis/networking.istio.io/v1/namespaces/${NS}/virtualservices/${NAME}`,
      )
    ).spec.http.map((rule: any) => ({
      name: rule.name,
      match: rule.match,
      route: rule.route.map((r: any) => [r.destination.host, r.weight]),
    }));
  const serviceHash = async (name: string) =>
    (await plane.getObject(`/api/v1/namespaces/${NS}/services/${name}`)).spec
      .selector['rollouts-pod-template-hash'];
  // Acts once the controller has stopped writing: a promote in between would be lost.
  const promote = async () => {
    await rolloutSettled(plane, NS, NAME);
    return plane.request(
      'PATCH',
      `/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts/${NAME}/status`,
      { status: { pauseConditions: null } },
      { contentType: 'application/merge-patch+json' },
    );
  };
  const pausedAt = (step: number) =>
    eventually(
      `the Rollout paused at step ${step}`,
      async () => {
        const r = await rollout();
        return r?.status?.phase === 'Paused' &&
          r.status.currentStepIndex === step
          ? r
          : undefined;
      },
      controllerLog,
    );

  const primary = (stable: number, canary: number) => ({
    name: 'primary',
    match: undefined,
    route: [
      [NAME, stable],
      [`${NAME}-canary`, canary],
    ],
  });

  it('releases the first version fully, with both Services on it', async () => {
    await release('v1');
    const healthy = await eventually(
      'the first version Healthy',
      async () => {
        const r = await rollout();
        return r?.status?.phase === 'Healthy' ? r : undefined;
      },
      controllerLog,
    );
    expect(await http()).toEqual([primary(100, 0)]);
    expect(await serviceHash(NAME)).toBe(healthy.status.stableRS);
    expect(await serviceHash(`${NAME}-canary`)).toBe(healthy.status.stableRS);
  });

  it('waits for a person with the new version reachable only by the x-canary header', async () => {
    await release('v2');
    // setCanaryScale, setHeaderRoute, then the indefinite pause (index 2).
    const paused = await pausedAt(2);
    expect(paused.status.pauseConditions).toEqual([
      expect.objectContaining({ reason: 'CanaryPauseStep' }),
    ]);
    expect(await http()).toEqual([
      {
        name: 'canary-header',
        match: [{ headers: { 'x-canary': { exact: 'true' } } }],
        route: [[`${NAME}-canary`, 100]],
      },
      primary(100, 0),
    ]);
    expect(await serviceHash(NAME)).toBe(paused.status.stableRS);
    expect(await serviceHash(`${NAME}-canary`)).toBe(
      paused.status.currentPodHash,
    );
    expect(paused.status.currentPodHash).not.toBe(paused.status.stableRS);
  });

  it('moves 10 % to the canary when promoted, judged by the analysis', async () => {
    expect((await promote()).status).toBe(200);
    // setCanaryScale (weight 10), setWeight 10, setCanaryScale (matchTrafficWeight), then
    // the pause (index 6).
    const paused = await pausedAt(6);
    expect((await http())[1]).toEqual(primary(90, 10));
    const run = await eventually(
      'a running AnalysisRun with a successful measurement',
      async () => {
        const runs = await plane.getObject(
          `/apis/argoproj.io/v1alpha1/namespaces/${NS}/analysisruns`,
        );
        return runs?.items?.find((r: any) =>
          r.status?.metricResults?.some((m: any) => m.successful > 0),
        );
      },
      controllerLog,
    );
    expect(run.status.phase).toBe('Running');
    expect(
      run.spec.metrics
        .map((m: any) => m.name)
        .sort((a: string, b: string) => a.localeCompare(b)),
    ).toEqual(['latency-p99', 'success-rate']);
    expect(paused.status.canary.currentBackgroundAnalysisRunStatus.name).toBe(
      run.metadata.name,
    );
    // The queries select the canary Service only.
    expect(prometheus.state.queries.join('\n')).toContain(
      `destination_service_name="${NAME}-canary"`,
    );
  });

  it('aborts, with all traffic back on stable, when the canary fails its analysis', async () => {
    prometheus.state.successRate = 0.5;
    const aborted = await eventually(
      'the Rollout Degraded by the failed analysis',
      async () => {
        const r = await rollout();
        return r?.status?.phase === 'Degraded' && r.status.abort
          ? r
          : undefined;
      },
      controllerLog,
    );
    expect(aborted.status.message).toContain('success-rate');
    // The weights and the header route follow the abort within a reconcile or two.
    const routes = await eventually(
      'all traffic back on stable, the header route removed',
      async () => {
        const rules = await http();
        return rules.length === 1 && rules[0].route[1]?.[1] === 0
          ? rules
          : undefined;
      },
      controllerLog,
      30_000,
    );
    expect(routes).toEqual([primary(100, 0)]);
    expect(await serviceHash(NAME)).toBe(aborted.status.stableRS);
  });
});
