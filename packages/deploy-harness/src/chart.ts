/*
 * deploy/chart rendered with the template harness's helm helpers, and the settings the
 * suites read from it and from app-config.production.yaml (one source each).
 */
import {
  helmBinary,
  K8sObject,
  lintChart,
  ofKind,
  renderChart,
} from '@runway/template-harness';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PORTAL_RELEASE } from './application';
import { chartDir, productionConfigFile, productionValuesFile } from './paths';

/** The namespace the portal is installed in (deploy/argocd). */
export const PORTAL_NAMESPACE = 'runway';

export async function lintProductionChart(
  valuesFile = productionValuesFile,
): Promise<void> {
  await lintChart(helmBinary(), chartDir, valuesFile, {
    namespace: PORTAL_NAMESPACE,
  });
}

/** `helm template runway deploy/chart -f values.yaml -f <valuesFile> -n runway`. */
export async function renderProductionChart(
  valuesFile = productionValuesFile,
  namespace = PORTAL_NAMESPACE,
): Promise<K8sObject[]> {
  const objects = await renderChart(helmBinary(), chartDir, valuesFile, {
    namespace,
  });
  const chartName = parse(readFileSync(`${chartDir}/Chart.yaml`, 'utf8')).name;
  if (chartName !== PORTAL_RELEASE) {
    throw new Error(
      `deploy/chart is named ${chartName}; the Application releases it as ${PORTAL_RELEASE}`,
    );
  }
  return objects;
}

/** Helm's merge of values files: maps merge, everything else is replaced. */
export function mergeValues(base: any, override: any): any {
  if (
    typeof base !== 'object' ||
    base === null ||
    Array.isArray(base) ||
    typeof override !== 'object' ||
    override === null ||
    Array.isArray(override)
  ) {
    return override === undefined ? base : override;
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = mergeValues(base[key], value);
  }
  return merged;
}

/** values.yaml with the production values on top. */
export function productionValues(valuesFile = productionValuesFile): any {
  const read = (file: string) => parse(readFileSync(file, 'utf8')) ?? {};
  return mergeValues(read(`${chartDir}/values.yaml`), read(valuesFile));
}

/** app-config.production.yaml, parsed (environment variables not substituted). */
export function productionConfig(): any {
  return parse(readFileSync(productionConfigFile, 'utf8'));
}

/** The one Deployment of the chart. */
export function portalDeployment(objects: K8sObject[]): any {
  const deployments = ofKind(objects, 'Deployment');
  if (deployments.length !== 1) {
    throw new Error(
      `the chart renders ${deployments.length} Deployments, expected one`,
    );
  }
  return deployments[0];
}

/** The backend container of the portal's pods. */
export function backendContainer(deployment: any): any {
  return deployment.spec.template.spec.containers[0];
}

/** A duration of the Backstage config ({ seconds: 15 }, '15s', 15000) in seconds. */
export function durationSeconds(value: unknown, key: string): number {
  if (typeof value === 'number') return value / 1000;
  if (typeof value === 'string') {
    const match = value.match(/^(\d+(?:\.\d+)?)\s*(ms|s|m)$/);
    if (!match) throw new Error(`${key}: cannot read the duration '${value}'`);
    const seconds: Record<string, number> = { ms: 0.001, s: 1, m: 60 };
    return Number(match[1]) * seconds[match[2]];
  }
  if (typeof value === 'object' && value !== null) {
    const units: Record<string, number> = {
      hours: 3600,
      minutes: 60,
      seconds: 1,
      milliseconds: 0.001,
    };
    let total = 0;
    for (const [unit, n] of Object.entries(value)) {
      if (!(unit in units) || typeof n !== 'number') {
        throw new Error(
          `${key}: cannot read the duration ${JSON.stringify(value)}`,
        );
      }
      total += n * units[unit];
    }
    return total;
  }
  throw new Error(`${key} is not set`);
}

/** backend.lifecycle.serverShutdownDelay of app-config.production.yaml, in seconds. */
export function serverShutdownDelaySeconds(config: any): number {
  return durationSeconds(
    config?.backend?.lifecycle?.serverShutdownDelay,
    'backend.lifecycle.serverShutdownDelay',
  );
}
