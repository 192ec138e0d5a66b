import {
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { ControlPlane, startControlPlane } from './ControlPlane';
import { platformVersions } from './crds';
import { KWOK_NODE } from './workloads';

/** The API's Status of a failed call, from a client-node error. */
function status(error: any): {
  code: number;
  reason?: string;
  message?: string;
} {
  const body =
    typeof error?.body === 'string' ? JSON.parse(error.body) : error?.body;
  return {
    code: error?.code ?? body?.code,
    reason: body?.reason,
    message: body?.message,
  };
}

describe('startControlPlane', () => {
  let plane: ControlPlane;

  beforeAll(async () => {
    plane = await startControlPlane({ crds: ['argo-rollouts', 'istio'] });
  }, 120_000);

  afterAll(() => plane?.stop());

  it('serves the pinned Kubernetes version over TLS with its own CA', async () => {
    const version = await plane.getObject('/version');
    expect(version.gitVersion).toBe(
      `v${platformVersions().kubernetes.version}`,
    );
    expect(plane.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('installs the pinned upstream CRDs with their structural schemas', async () => {
    const objects = KubernetesObjectApi.makeApiClient(plane.kubeConfig());
    await plane.createNamespace('crd-check');
    // An unknown field in a structural schema is refused under strict field validation.
    const refused = await plane.request(
      'POST',
      '/apis/argoproj.io/v1alpha1/namespaces/crd-check/rollouts?dryRun=All&fieldValidation=Strict',
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'bad', namespace: 'crd-check' },
        spec: { strategy: { canary: { stepz: [] } } },
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain(
      'unknown field "spec.strategy.canary.stepz"',
    );
    const vs = await objects.create({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'web', namespace: 'crd-check' },
      spec: {
        hosts: ['web'],
        http: [{ route: [{ destination: { host: 'web' } }] }],
      },
    } as any);
    expect(vs.metadata?.uid).toEqual(expect.any(String));
  });

  it('enforces RBAC for a service account bound to exactly some rules', async () => {
    const token = await plane.serviceAccountToken('rbac-check', 'reader', {
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] },
      ],
    });
    const mark = await plane.auditMark();
    const core = plane.kubeConfig(token).makeApiClient(CoreV1Api);
    const list = await core.listNamespacedConfigMap({
      namespace: 'rbac-check',
    });
    expect(Array.isArray(list.items)).toBe(true);
    const denied = await core
      .createNamespacedConfigMap({
        namespace: 'rbac-check',
        body: { metadata: { name: 'x' } },
      })
      .then(
        () => undefined,
        e => status(e),
      );
    expect(denied).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(denied?.message).toContain(
      'system:serviceaccount:rbac-check:reader',
    );
    // The audit log says what the account asked for and what RBAC answered.
    const events = await plane.auditEvents({
      since: mark,
      user: 'system:serviceaccount:rbac-check:reader',
    });
    expect(
      events.map(e => [
        e.verb,
        e.objectRef?.resource,
        e.objectRef?.namespace,
        e.code,
      ]),
    ).toEqual([
      ['list', 'configmaps', 'rbac-check', 200],
      ['create', 'configmaps', 'rbac-check', 403],
    ]);
  });

  it('reports server-side apply conflicts with another field manager', async () => {
    const objects = KubernetesObjectApi.makeApiClient(plane.kubeConfig());
    const cm = (value: string) =>
      ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'owned', namespace: 'default' },
        data: { key: value },
      } as any);
    await objects.patch(
      cm('a'),
      undefined,
      undefined,
      'someone-else',
      false,
      PatchStrategy.ServerSideApply,
    );
    const conflict = await objects
      .patch(
        cm('b'),
        undefined,
        undefined,
        'runway',
        false,
        PatchStrategy.ServerSideApply,
      )
      .then(
        () => undefined,
        e => status(e),
      );
    expect(conflict).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(conflict?.message).toContain('someone-else');
    expect(conflict?.message).toContain('.data.key');
  });
});

describe('startControlPlane without the watch cache', () => {
  let plane: ControlPlane;

  beforeAll(async () => {
    plane = await startControlPlane({ crds: 'none', watchCache: false });
  }, 120_000);

  afterAll(() => plane?.stop());

  it('answers 410 Gone for a list and a watch from a compacted resourceVersion', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    const first = await plane.request('GET', path);
    const old = first.body.metadata.resourceVersion;
    // Two writes: compaction keeps the revision it compacts at, and a watch from `old` needs old + 1.
    for (const name of ['one', 'two']) {
      await plane.apply([
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: 'default' },
        },
      ]);
    }
    const revision = await plane.compact();
    expect(revision).toBeGreaterThan(Number(old) + 1);

    const list = await plane.request(
      'GET',
      `${path}?resourceVersion=${old}&resourceVersionMatch=Exact`,
    );
    expect(list.status).toBe(410);
    expect(list.body).toMatchObject({ kind: 'Status', reason: 'Expired' });

    // A watch from there gets one ERROR event carrying the 410 Status, then ends.
    const watch = await plane.request(
      'GET',
      `${path}?watch=true&resourceVersion=${old}&timeoutSeconds=2`,
    );
    expect(watch.status).toBe(200);
    expect(watch.body).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  }, 15_000);
});

describe('startControlPlane with workloads', () => {
  let plane: ControlPlane;

  beforeAll(async () => {
    plane = await startControlPlane({ crds: 'none', workloads: true });
  }, 120_000);

  afterAll(() => plane?.stop());

  it('runs a Deployment until its pods are Ready on the kwok node', async () => {
    await plane.createNamespace('apps', {
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    const apps = plane.kubeConfig().makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'apps',
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              securityContext: {
                runAsNonRoot: true,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              containers: [
                {
                  name: 'web',
                  image: `example.com/web@sha256:${'0'.repeat(64)}`,
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    capabilities: { drop: ['ALL'] },
                  },
                },
              ],
            },
          },
        },
      },
    });
    let ready = 0;
    for (let i = 0; i < 100 && ready < 2; i++) {
      await new Promise(r => setTimeout(r, 200));
      const deployment = await apps.readNamespacedDeployment({
        name: 'web',
        namespace: 'apps',
      });
      ready = deployment.status?.readyReplicas ?? 0;
    }
    expect(ready).toBe(2);
    const pods = await plane
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: 'apps', labelSelector: 'app=web' });
    expect(pods.items.map(p => [p.spec?.nodeName, p.status?.phase])).toEqual([
      [KWOK_NODE, 'Running'],
      [KWOK_NODE, 'Running'],
    ]);
  });

  it('refuses a pod that breaks Pod Security "restricted" in an enforcing namespace', async () => {
    const core = plane.kubeConfig().makeApiClient(CoreV1Api);
    const refused = await core
      .createNamespacedPod({
        namespace: 'apps',
        body: {
          metadata: { name: 'root' },
          spec: { containers: [{ name: 'c', image: 'busybox' }] },
        },
      })
      .then(
        () => undefined,
        e => status(e),
      );
    expect(refused?.code).toBe(403);
    expect(refused?.message).toContain(
      'violates PodSecurity "restricted:latest"',
    );
  });
});
