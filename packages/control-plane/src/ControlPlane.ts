import { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { freePort } from '@runway/testing';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Binaries, controlPlaneBinaries } from './binaries';
import { Crd, upstreamCrds } from './crds';
import { ManagedProcess, startProcess, waitFor } from './process';
import { startWorkloads } from './workloads';
import { resourcePathOf } from './discovery';

/** An object to apply: any Kubernetes object, typed or plain JSON. */
export type ApplyObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
};

/** An RBAC PolicyRule, as in a Role or ClusterRole. */
export type PolicyRule = {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
};

export type ControlPlaneOptions = {
  /**
   * Upstream CRDs to install, by component id of the platform pin list
   * (templates/platform-environment/versions.yaml): `'all'` (default), `'none'` or a list
   * such as `['argo-rollouts', 'istio']`.
   */
  crds?: 'all' | 'none' | string[];
  /**
   * Run workloads as far as Kubernetes sees them: kube-controller-manager (ReplicaSets
   * create pods, service accounts get tokens…), kube-scheduler and kwok with one simulated
   * node, so pods become Running and Ready without a kubelet. Default false.
   */
  workloads?: boolean;
  /**
   * Serve watches from the API server's watch cache (the default, as in production). Off,
   * watches read etcd directly, so a watch from a compacted resourceVersion is answered
   * `410 Gone` at once — what tests of relisting need.
   */
  watchCache?: boolean;
  /** Keep state here (a demo); default a temporary folder removed by `stop()`. */
  dir?: string;
  /** The API server's port; default a free one. */
  port?: number;
  /** Extra kube-apiserver flags (`--flag=value`). */
  apiServerFlags?: string[];
};

/** One request as the API server's audit log records it (level Metadata). */
export type AuditEvent = {
  /** get, list, watch, create, update, patch, delete… */
  verb: string;
  /** The authenticated user, e.g. `system:serviceaccount:backstage:backstage`. */
  user: string;
  requestURI: string;
  objectRef?: {
    resource?: string;
    subresource?: string;
    namespace?: string;
    name?: string;
    apiGroup?: string;
  };
  /** The answer's status code. */
  code?: number;
};

/** A running throwaway control plane on loopback. */
export type ControlPlane = {
  /** https://127.0.0.1:<port> */
  url: string;
  /** The API server's CA certificate (PEM). */
  caData: string;
  /** A token of `system:masters` (every permission). */
  adminToken: string;
  /** Where its state and logs are. */
  dir: string;
  /** The admin kubeconfig file (for kubectl-style tools and controllers). */
  kubeconfigPath: string;
  /** A KubeConfig with the admin token, or with another token. */
  kubeConfig(token?: string): KubeConfig;
  /** Create or update objects (server-side apply, field manager `runway-test`, forced). */
  apply(objects: ApplyObject[] | KubernetesObject[]): Promise<void>;
  /** A namespace, created when missing, with these labels (e.g. Pod Security `enforce`). */
  createNamespace(name: string, labels?: Record<string, string>): Promise<void>;
  /**
   * A token of the ServiceAccount `namespace/name` (created when missing, namespace too),
   * from the TokenRequest API. With `rules`, the account is bound to a ClusterRole of
   * exactly those rules (or a Role in `namespace` with `namespaced: true`).
   */
  serviceAccountToken(
    namespace: string,
    name: string,
    options?: { rules?: PolicyRule[]; namespaced?: boolean },
  ): Promise<string>;
  /**
   * One request to the API server (admin unless `token`), answered with the status code and the
   * parsed body: what a test needs to see Status objects, warnings aside, unchanged.
   */
  request(
    method: string,
    path: string,
    body?: unknown,
    options?: { token?: string; contentType?: string },
  ): Promise<ApiResponse>;
  /** GET an API path as admin: the parsed object, or undefined when it is not found. */
  getObject(path: string): Promise<any | undefined>;
  /** Install CRDs (and wait until each is established and served). */
  installCrds(crds: Crd[]): Promise<void>;
  /**
   * Compact etcd's history up to now: a watch or list from an older resourceVersion is
   * then answered `410 Gone` (with `watchCache: false` at once; through the watch cache
   * once it no longer holds that version). Returns the compacted revision.
   */
  compact(): Promise<number>;
  /**
   * The requests the API server has answered since `since` (a mark from `auditMark()`),
   * optionally of one user only, from its audit log: what a client really asked for, as
   * RBAC saw it.
   */
  auditEvents(options?: {
    since?: number;
    user?: string;
  }): Promise<AuditEvent[]>;
  /** A mark in the audit log: `auditEvents({ since })` returns only what comes after it. */
  auditMark(): Promise<number>;
  /** The processes, for logs and fault injection (kill one, stop one). */
  processes: Record<string, ManagedProcess>;
  /** Start another process against this control plane (a controller), stopped with it. */
  addProcess(process: ManagedProcess): void;
  /** Stop every process; remove the state unless `dir` was given. */
  stop(): Promise<void>;
};

/** The kubeconfig YAML of one user on this control plane. */
function kubeconfigYaml(url: string, caFile: string, token: string) {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'runway',
        cluster: { server: url, 'certificate-authority': caFile },
      },
    ],
    users: [{ name: 'user', user: { token } }],
    contexts: [
      { name: 'runway', context: { cluster: 'runway', user: 'user' } },
    ],
    'current-context': 'runway',
  });
}

/** The PEM blocks of a file, in order. */
function pemBlocks(pem: string): string[] {
  return (
    pem.match(/-----BEGIN [^-]+-----[\s\S]+?-----END [^-]+-----\n?/g) ?? []
  );
}

/** An answer of the API server: status code and parsed body (text when not JSON). */
export type ApiResponse = { status: number; body: any };

/** One request to the API server with a bearer token. */
function apiRequest(
  url: string,
  caData: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const req = httpsRequest(
      new URL(path, url),
      {
        method,
        ca: caData,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(payload !== undefined && { 'content-type': contentType }),
        },
        timeout: 30_000,
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (text += chunk));
        res.on('end', () => {
          let parsed: any = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON (e.g. /readyz answers "ok")
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${path}: timeout`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function startEtcd(
  bin: Binaries,
  dir: string,
): Promise<{ process: ManagedProcess; url: string }> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const etcd = startProcess(
    'etcd',
    bin.etcd,
    [
      '--name=runway',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=runway=${peer}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    { logFile: join(dir, 'etcd.log') },
  );
  await waitFor(
    'etcd ready',
    async () => {
      const res = await fetch(`${url}/health`);
      return res.ok ? true : undefined;
    },
    {
      timeoutMs: 30_000,
      describe: () => etcd.tail(),
      abort: () =>
        etcd.child.exitCode !== null
          ? `etcd exited (${etcd.child.exitCode}):\n${etcd.tail()}`
          : undefined,
    },
  );
  return { process: etcd, url };
}

/** Starts etcd and kube-apiserver (RBAC on), and installs the requested CRDs. */
export async function startControlPlane(
  options: ControlPlaneOptions = {},
): Promise<ControlPlane> {
  const bin = controlPlaneBinaries();
  const persistent = Boolean(options.dir);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'runway-k8s-'));
  mkdirSync(dir, { recursive: true });
  const processes: Record<string, ManagedProcess> = {};
  const extra: ManagedProcess[] = [];

  const stopAll = async () => {
    for (const p of [...extra].reverse()) await p.stop();
    for (const name of [
      'kwok',
      'kube-scheduler',
      'kube-controller-manager',
      'kube-apiserver',
      'etcd',
    ]) {
      await processes[name]?.stop();
    }
  };

  // Stops every process; a throwaway plane's state goes too, a demo's (`dir`) stays.
  const teardown = async () => {
    await stopAll();
    if (!persistent) rmSync(dir, { recursive: true, force: true });
  };

  try {
    // Credentials: an admin token, the service-account signing key (kept across restarts of a demo).
    const tokenFile = join(dir, 'tokens.csv');
    const saKeyFile = join(dir, 'sa.key');
    const saPubFile = join(dir, 'sa.pub');
    let adminToken: string;
    if (existsSync(tokenFile)) {
      adminToken = readFileSync(tokenFile, 'utf8').split(',')[0];
    } else {
      adminToken = randomBytes(24).toString('hex');
      writeFileSync(tokenFile, `${adminToken},admin,admin,system:masters\n`, {
        mode: 0o600,
      });
    }
    if (!existsSync(saKeyFile)) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
      });
      writeFileSync(
        saKeyFile,
        privateKey.export({ type: 'pkcs8', format: 'pem' }),
        { mode: 0o600 },
      );
      writeFileSync(
        saPubFile,
        publicKey.export({ type: 'spki', format: 'pem' }),
      );
    }

    const etcd = await startEtcd(bin, dir);
    processes.etcd = etcd.process;

    const port = options.port ?? (await freePort());
    const url = `https://127.0.0.1:${port}`;
    const certDir = join(dir, 'certs');
    const auditLog = join(dir, 'audit.log');
    const auditPolicy = join(dir, 'audit-policy.yaml');
    writeFileSync(
      auditPolicy,
      stringify({
        apiVersion: 'audit.k8s.io/v1',
        kind: 'Policy',
        // One event per request, when its answer is complete (a watch: when it started).
        omitStages: ['RequestReceived'],
        rules: [
          // The API server's own health checks and controllers' leases are noise.
          {
            level: 'None',
            nonResourceURLs: ['/readyz*', '/livez*', '/healthz*'],
          },
          {
            level: 'None',
            resources: [
              { group: 'coordination.k8s.io', resources: ['leases'] },
            ],
          },
          { level: 'Metadata' },
        ],
      }),
    );
    const apiserver = startProcess(
      'kube-apiserver',
      bin['kube-apiserver'],
      [
        `--etcd-servers=${etcd.url}`,
        `--secure-port=${port}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        // With the advertise address on loopback, the endpoint reconciler would fight itself.
        '--endpoint-reconciler-type=none',
        '--authorization-mode=RBAC',
        `--token-auth-file=${tokenFile}`,
        '--service-account-issuer=https://kubernetes.default.svc',
        `--service-account-key-file=${saPubFile}`,
        `--service-account-signing-key-file=${saKeyFile}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        `--cert-dir=${certDir}`,
        `--watch-cache=${options.watchCache ?? true}`,
        `--audit-policy-file=${auditPolicy}`,
        `--audit-log-path=${auditLog}`,
        '--audit-log-format=json',
        '--audit-log-mode=blocking',
        ...(options.apiServerFlags ?? []),
      ],
      { logFile: join(dir, 'kube-apiserver.log') },
    );
    processes['kube-apiserver'] = apiserver;
    const apiserverExited = () =>
      apiserver.child.exitCode !== null
        ? `kube-apiserver exited (${
            apiserver.child.exitCode
          }):\n${apiserver.tail()}`
        : undefined;

    // The API server writes a self-signed serving certificate followed by its CA.
    const certFile = join(certDir, 'apiserver.crt');
    const caData = await waitFor(
      'kube-apiserver certificate',
      async () => {
        if (!existsSync(certFile)) return undefined;
        const blocks = pemBlocks(readFileSync(certFile, 'utf8'));
        return blocks.length >= 2 ? blocks[blocks.length - 1] : undefined;
      },
      {
        timeoutMs: 60_000,
        describe: () => apiserver.tail(),
        abort: apiserverExited,
      },
    );
    const caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, caData);
    await waitFor(
      'kube-apiserver ready',
      async () => {
        const { status, body } = await apiRequest(
          url,
          caData,
          adminToken,
          'GET',
          '/readyz',
        );
        return status === 200 && body === 'ok' ? true : undefined;
      },
      {
        timeoutMs: 60_000,
        describe: () => apiserver.tail(),
        abort: apiserverExited,
      },
    );

    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfigYaml(url, caFile, adminToken), {
      mode: 0o600,
    });
    const kubeConfig = (token = adminToken) => {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [
          {
            name: 'runway',
            server: url,
            caData: Buffer.from(caData).toString('base64'),
          },
        ],
        users: [{ name: 'user', token }],
        contexts: [{ name: 'runway', cluster: 'runway', user: 'user' }],
        currentContext: 'runway',
      });
      return kc;
    };
    const request: ControlPlane['request'] = (
      method,
      path,
      body,
      requestOptions = {},
    ) =>
      apiRequest(
        url,
        caData,
        requestOptions.token ?? adminToken,
        method,
        path,
        body,
        requestOptions.contentType,
      );

    // Server-side apply through plain HTTP: client-node's typed serializer would drop fields it
    // does not know by their wire names (x-kubernetes-int-or-string in a CRD's schema).
    const apply = async (items: ApplyObject[] | KubernetesObject[]) => {
      for (const item of items as ApplyObject[]) {
        const where = await resourcePathOf(
          request,
          item.apiVersion!,
          item.kind!,
          item.metadata?.namespace ?? 'default',
        );
        const path = `${where.path}/${encodeURIComponent(
          item.metadata!.name!,
        )}`;
        const { status, body } = await request(
          'PATCH',
          `${path}?fieldManager=runway-test&force=true`,
          item,
          { contentType: 'application/apply-patch+yaml' },
        );
        if (status < 200 || status >= 300) {
          throw new Error(
            `apply ${item.kind}/${item.metadata?.name}: ${status} ${
              body?.message ?? JSON.stringify(body)
            }`,
          );
        }
      }
    };

    const createNamespace = async (
      name: string,
      labels: Record<string, string> = {},
    ) => {
      await apply([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } },
      ]);
    };

    const installCrds = async (crds: Crd[]) => {
      await apply(crds);
      // Established: the API server serves the kind (one list per poll for all of them).
      const names = new Set(crds.map(c => c.metadata.name));
      await waitFor(
        `${crds.length} CRDs established`,
        async () => {
          const { status, body } = await request(
            'GET',
            '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
          );
          if (status !== 200) return undefined;
          const established = (body.items as any[]).filter(
            crd =>
              names.has(crd.metadata.name) &&
              (crd.status?.conditions ?? []).some(
                (c: any) => c.type === 'Established' && c.status === 'True',
              ),
          );
          return established.length === names.size ? true : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 200 },
      );
      // Then discovery lists each kind in each served version.
      const wanted = new Map<string, Set<string>>();
      for (const crd of crds) {
        for (const version of crd.spec.versions) {
          if (version.served === false) continue;
          const gv = `${crd.spec.group}/${version.name}`;
          if (!wanted.has(gv)) wanted.set(gv, new Set());
          wanted.get(gv)!.add(crd.spec.names.plural);
        }
      }
      await Promise.all(
        [...wanted].map(([gv, plurals]) =>
          waitFor(
            `${gv} served`,
            async () => {
              const { status, body } = await request('GET', `/apis/${gv}`);
              const served = new Set(
                status === 200
                  ? (body.resources ?? []).map((r: any) => r.name)
                  : [],
              );
              return [...plurals].every(p => served.has(p)) ? true : undefined;
            },
            { timeoutMs: 120_000, intervalMs: 200 },
          ),
        ),
      );
      // And lists are answered: right after a CRD is established, its watch cache answers
      // 429 "storage is (re)initializing" for a moment.
      await Promise.all(
        [...wanted].flatMap(([gv, plurals]) =>
          [...plurals].map(plural =>
            waitFor(
              `${gv} ${plural} listable`,
              async () =>
                (
                  await request('GET', `/apis/${gv}/${plural}?limit=1`)
                ).status === 200
                  ? true
                  : undefined,
              { timeoutMs: 120_000, intervalMs: 100 },
            ),
          ),
        ),
      );
    };

    const crdOption = options.crds ?? 'all';
    if (crdOption !== 'none') {
      await installCrds(
        upstreamCrds(crdOption === 'all' ? undefined : crdOption),
      );
    }

    const plane: ControlPlane = {
      url,
      caData,
      adminToken,
      dir,
      kubeconfigPath,
      kubeConfig,
      apply,
      createNamespace,
      installCrds,
      async getObject(path) {
        const { status, body } = await request('GET', path);
        if (status === 404) return undefined;
        if (status !== 200) {
          throw new Error(`GET ${path}: ${status} ${body?.message ?? body}`);
        }
        return body;
      },
      request,
      async auditMark() {
        // Events are written when a request completes: wait until the log stops growing.
        let size = -1;
        for (;;) {
          const now = existsSync(auditLog) ? statSync(auditLog).size : 0;
          if (now === size) return size;
          size = now;
          await new Promise(r => setTimeout(r, 50));
        }
      },
      async auditEvents(auditOptions = {}) {
        const end = await plane.auditMark();
        const start = auditOptions.since ?? 0;
        if (end <= start) return [];
        const seen = new Set<string>();
        const buffer = Buffer.alloc(end - start);
        const fd = openSync(auditLog, 'r');
        try {
          readSync(fd, buffer, 0, buffer.length, start);
        } finally {
          closeSync(fd);
        }
        return (
          buffer
            .toString('utf8')
            .split('\n')
            .filter(Boolean)
            .map(line => JSON.parse(line))
            // A long request (a watch) has a second event when it ends: one per request.
            .filter((e: any) => !seen.has(e.auditID) && seen.add(e.auditID))
            .map(
              (e: any): AuditEvent => ({
                verb: e.verb,
                user: e.user?.username,
                requestURI: e.requestURI,
                objectRef: e.objectRef,
                code: e.responseStatus?.code,
              }),
            )
            .filter(e => !auditOptions.user || e.user === auditOptions.user)
        );
      },
      processes,
      addProcess: p => extra.push(p),
      async serviceAccountToken(namespace, name, tokenOptions = {}) {
        await createNamespace(namespace);
        const subject = { kind: 'ServiceAccount', name, namespace };
        await apply([
          {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            metadata: { name, namespace },
          },
        ]);
        if (tokenOptions.rules) {
          const roleName = `runway-test:${namespace}:${name}`;
          const kind = tokenOptions.namespaced ? 'Role' : 'ClusterRole';
          const roleMeta = tokenOptions.namespaced
            ? { name: roleName, namespace }
            : { name: roleName };
          await apply([
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind,
              metadata: roleMeta,
              rules: tokenOptions.rules,
            } as KubernetesObject,
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: `${kind}Binding`,
              metadata: roleMeta,
              roleRef: {
                apiGroup: 'rbac.authorization.k8s.io',
                kind,
                name: roleName,
              },
              subjects: [subject],
            } as KubernetesObject,
          ]);
        }
        const { status, body } = await request(
          'POST',
          `/api/v1/namespaces/${encodeURIComponent(
            namespace,
          )}/serviceaccounts/${encodeURIComponent(name)}/token`,
          {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenRequest',
            spec: { expirationSeconds: 3600 },
          },
        );
        if (status !== 201 || !body?.status?.token) {
          throw new Error(
            `token of ServiceAccount ${namespace}/${name}: ${status} ${
              body?.message ?? ''
            }`,
          );
        }
        return body.status.token as string;
      },
      async compact() {
        const range = await fetch(`${etcd.url}/v3/kv/range`, {
          method: 'POST',
          body: JSON.stringify({ key: Buffer.from('\0').toString('base64') }),
        });
        const revision = Number((await range.json()).header.revision);
        const res = await fetch(`${etcd.url}/v3/kv/compaction`, {
          method: 'POST',
          body: JSON.stringify({ revision: String(revision), physical: true }),
        });
        if (!res.ok) {
          throw new Error(
            `etcd compaction failed: ${res.status} ${await res.text()}`,
          );
        }
        return revision;
      },
      stop: teardown,
    };

    if (options.workloads) {
      await startWorkloads(plane, bin, processes);
    }
    return plane;
  } catch (error) {
    await teardown();
    throw error;
  }
}
