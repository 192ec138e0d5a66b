/*
 * Test support for this package: real Kubernetes API servers (@runway/control-plane) with the
 * CloudNativePG CRDs, the backend's identity bound by deploy/rbac.yaml exactly as a platform
 * team applies it, cluster access with that identity, and a stand-in for the operator that
 * reports Clusters ready through the status subresource.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  ClusterAccess,
  ConfigClusterAccess,
} from '@runway/plugin-cluster-access-node';
import {
  AuditEvent,
  ControlPlane,
  PolicyRule,
  startControlPlane,
} from '@runway/control-plane';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { HEALTHY_PHASE } from '../lib/readiness';

export const RBAC_FILE = resolve(__dirname, '../../deploy/rbac.yaml');

/** The documents of deploy/rbac.yaml. */
export function readRbacDocuments(): any[] {
  return parseAllDocuments(readFileSync(RBAC_FILE, 'utf8')).map(d => d.toJS());
}

/** The rules of the ClusterRole in deploy/rbac.yaml. */
export function rbacRules(): PolicyRule[] {
  const role = readRbacDocuments().find(d => d?.kind === 'ClusterRole');
  return role.rules;
}

/** The identity deploy/rbac.yaml binds: the backend's ServiceAccount backstage/backstage. */
export const BACKEND_USER = 'system:serviceaccount:backstage:backstage';

/**
 * A real API server serving the CloudNativePG CRDs (and, unless `barman: false`, the Barman
 * Cloud plugin's ObjectStore), with deploy/rbac.yaml applied as it is. Returns the plane and
 * a token of the ServiceAccount the file binds.
 */
export async function startCnpgCluster(
  options: { barman?: boolean } = {},
): Promise<{ plane: ControlPlane; token: string }> {
  const plane = await startControlPlane({
    crds:
      options.barman === false
        ? ['cloudnative-pg']
        : ['cloudnative-pg', 'barman-cloud-plugin'],
  });
  await plane.createNamespace('backstage');
  await plane.apply(readRbacDocuments());
  const token = await plane.serviceAccountToken('backstage', 'backstage');
  return { plane, token };
}

/**
 * Cluster access to the given clusters (name → API server), each with the given token (or
 * the API server's own URL and CA with a token).
 */
export function clusterAccessFor(
  clusters: Record<string, { url: string; caData?: string; token: string }>,
): ClusterAccess {
  return ConfigClusterAccess.fromConfig(
    new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: Object.entries(clusters).map(
              ([name, { url, caData, token }]) => ({
                name,
                url,
                authProvider: 'serviceAccount',
                serviceAccountToken: token,
                ...(caData && {
                  caData: Buffer.from(caData).toString('base64'),
                }),
              }),
            ),
          },
        ],
      },
    }),
    { logger: mockServices.logger.mock() },
  );
}

/** `VERB resource[/subresource] namespace/name` of an audit event, for compact assertions. */
export const describeCall = (e: AuditEvent): string => {
  const ref = e.objectRef ?? {};
  const resource = ref.subresource
    ? `${ref.resource}/${ref.subresource}`
    : ref.resource;
  const target =
    ref.resource === 'namespaces'
      ? ref.name ?? ''
      : [ref.namespace, ref.name].filter(Boolean).join('/');
  return `${e.verb} ${resource} ${target}`.trim();
};

/** The calls the backend's identity made on a plane since a mark, in order. */
export async function backendCalls(
  plane: ControlPlane,
  since: number,
  user = BACKEND_USER,
): Promise<string[]> {
  return (await plane.auditEvents({ since, user })).map(describeCall);
}

/** A Cluster's status as the operator reports it once all instances are up. */
export const healthyStatus = (instances: number) => ({
  instances,
  readyInstances: instances,
  phase: HEALTHY_PHASE,
});

/** Replaces a Cluster's status through the status subresource, as the operator does. */
export async function setClusterStatus(
  plane: ControlPlane,
  namespace: string,
  name: string,
  status: Record<string, unknown>,
): Promise<void> {
  const { status: code, body } = await plane.request(
    'PATCH',
    `/apis/postgresql.cnpg.io/v1/namespaces/${namespace}/clusters/${name}/status?fieldManager=cloudnative-pg`,
    [{ op: 'add', path: '/status', value: status }],
    { contentType: 'application/json-patch+json' },
  );
  if (code !== 200) {
    throw new Error(
      `status of Cluster ${namespace}/${name}: ${code} ${body?.message}`,
    );
  }
}

/**
 * Plays the CloudNativePG operator: every Cluster that appears without a status gets a healthy
 * one (all instances ready) `delayMs` after it was first seen — as a real operator takes a
 * while, so that a caller waiting for readiness really waits. Returns a function that stops it
 * (and waits until it has).
 */
export function fakeOperator(
  plane: ControlPlane,
  delayMs = 300,
): () => Promise<void> {
  let stopped = false;
  const firstSeen = new Map<string, number>();
  const loop = async () => {
    while (!stopped) {
      const list = await plane
        .getObject('/apis/postgresql.cnpg.io/v1/clusters')
        .catch(() => undefined); // a moment of 429 while storage initialises: next round
      for (const cluster of list?.items ?? []) {
        if (cluster.status?.phase) continue;
        const key = `${cluster.metadata.namespace}/${cluster.metadata.name}`;
        if (!firstSeen.has(key)) firstSeen.set(key, Date.now());
        if (Date.now() - firstSeen.get(key)! < delayMs) continue;
        await setClusterStatus(
          plane,
          cluster.metadata.namespace,
          cluster.metadata.name,
          healthyStatus(Number(cluster.spec.instances)),
        );
      }
      await new Promise(r => setTimeout(r, 50));
    }
  };
  const running = loop();
  return async () => {
    stopped = true;
    await running;
  };
}

/** Polls until the check holds, for at most 10 s. */
export async function waitFor(check: () => Promise<boolean> | boolean) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error('condition not met within 10 s');
}
