import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { ModuleFiles, readModuleFiles } from './modules';
import { versionsFile } from './paths';

/** A CustomResourceDefinition, as far as the control plane reads it. */
export type Crd = {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; [key: string]: unknown };
  spec: {
    group: string;
    names: { kind: string; plural: string; [key: string]: unknown };
    versions: Array<{ name: string; [key: string]: unknown }>;
    [key: string]: unknown;
  };
};

/** Where one component's CRDs come from: files of a Go module at an exact version. */
export type CrdSource = ModuleFiles;

/** One entry of the platform pin list. */
export type PlatformComponent = {
  appVersion?: string;
  crds?: CrdSource;
  [key: string]: unknown;
};

export type PlatformVersions = {
  kubernetes: { version: string };
  components: Record<string, PlatformComponent>;
};

/** The platform pin list (templates/platform-environment/versions.yaml). */
export function platformVersions(file = versionsFile): PlatformVersions {
  return parse(readFileSync(file, 'utf8')) as PlatformVersions;
}

/** The ids of the components that bring CRDs, in pin-list order. */
export function crdComponents(versions = platformVersions()): string[] {
  return Object.entries(versions.components)
    .filter(([, c]) => c.crds)
    .map(([id]) => id);
}

/** The CRDs of one source (its files read once per machine, then from the cache). */
export function loadCrdSource(source: CrdSource): Crd[] {
  const crds = parseAllDocuments(readModuleFiles(source))
    .map(doc => doc.toJS())
    .filter((o: any) => o?.kind === 'CustomResourceDefinition') as Crd[];
  if (crds.length === 0) {
    throw new Error(
      `${source.module}@${
        source.version
      }: no CustomResourceDefinition in ${source.files.join(', ')}`,
    );
  }
  return crds;
}

/** The CRDs of the given components of the pin list (default: every component that has some). */
export function upstreamCrds(
  components?: string[],
  versions = platformVersions(),
): Crd[] {
  const ids = components ?? crdComponents(versions);
  return ids.flatMap(id => {
    const source = versions.components[id]?.crds;
    if (!source) {
      throw new Error(
        `No CRDs for '${id}' in ${versionsFile}; components with CRDs: ${crdComponents(
          versions,
        ).join(', ')}`,
      );
    }
    return loadCrdSource(source);
  });
}
