import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './backend';

type Entity = { kind: string; metadata: { name: string; namespace?: string } };

const refOf = (e: Entity) =>
  `${e.kind}:${e.metadata.namespace ?? 'default'}/${
    e.metadata.name
  }`.toLocaleLowerCase('en-US');

function entitiesIn(file: string): Entity[] {
  return parseAllDocuments(readFileSync(join(repoRoot, file), 'utf8'))
    .map(doc => doc.toJS() as Entity)
    .filter(e => e?.kind && e.kind !== 'Location');
}

/** Every template in the repository: templates/<name>.yaml (all but location.yaml). */
export function templateFiles(): string[] {
  return readdirSync(join(repoRoot, 'templates'), { withFileTypes: true })
    .filter(d => d.isFile() && d.name.endsWith('.yaml'))
    .filter(d => d.name !== 'location.yaml')
    .map(d => `templates/${d.name}`);
}

/** The refs of the entities the catalog is preloaded with, read from the committed files. */
export function expectedEntityRefs() {
  return {
    self: entitiesIn('catalog-info.yaml').map(refOf),
    org: entitiesIn('catalog/org.yaml').map(refOf),
    system: entitiesIn('catalog/example-system.yaml').map(refOf),
    templates: templateFiles().flatMap(entitiesIn).map(refOf),
  };
}
