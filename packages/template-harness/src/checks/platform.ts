/*
 * Checks of a rendered platform-environment repository's Argo CD add-ons against the platform's
 * pin list (templates/platform-environment/versions.yaml) and the CRD schemas, and the reading
 * of the add-ons' values that the service-chart contract (./serviceChartContract) compares with
 * what the service chart assumes.
 */
import { crdSchemaFile, crdSchemasDir, validateCrd } from '@runway/testing';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { listFiles } from '../repo';
import { templatesDir } from '../render';
import type { K8sObject } from './manifests';
import type { ModuleFacts } from './terraform';

/** One chart of the pin list. */
export type ChartPin = {
  repository: string;
  name: string;
  version: string;
  verified?: string;
};

/** templates/platform-environment/versions.yaml. */
export type PlatformVersions = {
  kubernetes: { version: string };
  components: Record<
    string,
    {
      appVersion: string;
      chart?: ChartPin;
      crds?: { module: string; version: string; files: string[] };
    }
  >;
};

/** The platform's pin list as committed. */
export function platformVersions(): PlatformVersions {
  return parse(
    readFileSync(
      join(templatesDir, 'platform-environment/versions.yaml'),
      'utf8',
    ),
  );
}

/** A rendered object and the file it came from. */
export type FileObject = K8sObject & { file: string };

/** Every YAML document of the *.yaml files under the folders (relative to repoDir). */
export function readObjects(repoDir: string, dirs: string[]): FileObject[] {
  return dirs.flatMap(dir =>
    existsSync(join(repoDir, dir))
      ? listFiles(join(repoDir, dir))
          .filter(f => f.endsWith('.yaml'))
          .flatMap(f =>
            parseAllDocuments(readFileSync(join(repoDir, dir, f), 'utf8'))
              .map(d => d.toJS())
              .filter(o => o && typeof o === 'object')
              .map(o => ({ ...o, file: `${dir}/${f}` })),
          )
      : [],
  );
}

export type Application = FileObject & {
  spec: {
    project?: string;
    source: {
      repoURL: string;
      chart?: string;
      targetRevision: string;
      path?: string;
      helm?: { releaseName?: string; valuesObject?: Record<string, any> };
    };
    destination: { server?: string; namespace: string };
  };
};

export const applications = (objects: FileObject[]): Application[] =>
  objects.filter(
    o => o.apiVersion === 'argoproj.io/v1alpha1' && o.kind === 'Application',
  ) as Application[];

/** A chart some part of the repository installs, and where. */
export type InstalledChart = {
  repository: string;
  name: string;
  version: string;
  where: string;
};

/** The charts the add-on Applications install. */
export function applicationCharts(objects: FileObject[]): InstalledChart[] {
  return applications(objects)
    .filter(a => a.spec.source.chart)
    .map(a => ({
      repository: a.spec.source.repoURL,
      name: a.spec.source.chart!,
      version: a.spec.source.targetRevision,
      where: `${a.file} (Application ${a.metadata?.name})`,
    }));
}

/** The charts Terraform installs with helm_release. */
export function helmReleaseCharts(facts: ModuleFacts[]): InstalledChart[] {
  return facts.flatMap(f =>
    f.blocks
      .filter(b => b.kind === 'resource' && b.labels[0] === 'helm_release')
      .map(b => ({
        repository: b.literals.repository ?? '',
        name: b.literals.chart ?? '',
        version: b.literals.version ?? '',
        where: `${f.dir}/${b.file}:${b.line} (helm_release.${b.labels[1]})`,
      })),
  );
}

/**
 * The installed charts against the pin list, both ways: every installed chart is a component's
 * chart at exactly its pinned version (same repository and name), and every pinned chart is
 * installed exactly once, except the components `optional` names (installed only with some
 * parameters).
 */
export function checkChartPins(
  installed: InstalledChart[],
  versions: PlatformVersions,
  optional: string[] = [],
): string[] {
  const problems: string[] = [];
  const pins = Object.entries(versions.components).filter(
    ([, c]) => c.chart,
  ) as [string, { chart: ChartPin }][];
  for (const chart of installed) {
    const pin = pins.find(
      ([, c]) =>
        c.chart.repository === chart.repository && c.chart.name === chart.name,
    );
    if (!pin) {
      problems.push(
        `${chart.where}: installs ${chart.name} from ${chart.repository}, which versions.yaml does not pin`,
      );
    } else if (pin[1].chart.version !== chart.version) {
      problems.push(
        `${chart.where}: installs ${chart.name} ${chart.version}, but versions.yaml pins ${pin[0]} at ${pin[1].chart.version}`,
      );
    }
  }
  for (const [id, { chart }] of pins) {
    const count = installed.filter(
      i => i.repository === chart.repository && i.name === chart.name,
    ).length;
    if (count === 0 && !optional.includes(id)) {
      problems.push(
        `versions.yaml pins ${id} (${chart.name} ${chart.version}), which nothing installs`,
      );
    } else if (count > 1) {
      problems.push(`${id} (${chart.name}) is installed ${count} times`);
    }
  }
  return problems;
}

/**
 * Every object validated strictly against its CRD schema (../shared/crd-schemas). Returns the
 * problems and the objects no schema covers (kinds Runway does not otherwise emit, e.g.
 * cert-manager's), so a test can assert exactly which those are.
 */
export function validatePlatformObjects(objects: FileObject[]): {
  problems: string[];
  unchecked: string[];
} {
  if (!existsSync(crdSchemasDir())) {
    throw new Error(
      `no CRD schemas at ${crdSchemasDir()}: set CRD_SCHEMAS_DIR (see @runway/testing)`,
    );
  }
  const problems: string[] = [];
  const unchecked: string[] = [];
  for (const object of objects) {
    const where = `${object.file}: ${object.kind}/${object.metadata?.name}`;
    const { file: _file, ...resource } = object;
    if (!existsSync(crdSchemaFile(resource))) {
      unchecked.push(`${object.apiVersion} ${object.kind}`);
      continue;
    }
    problems.push(...validateCrd(resource).map(p => `${where}: ${p}`));
  }
  return { problems, unchecked: [...new Set(unchecked)].sort() };
}
