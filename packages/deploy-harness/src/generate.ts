/*
 * Writes the generated parts of deploy/ from Runway's builders:
 *   generate            deploy/chart/templates/database.yaml and deploy/argocd/runway-production.yaml
 *   generate --check    exits 1 when either differs from what the builders build
 *   generate application --repo-url <url> [--target-revision <rev>] [--namespace <ns>]
 *                        [--project <p>] [--application-namespace <ns>] [--cluster <c>]
 *                       prints the portal's Application for another repository
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  applicationYaml,
  DEFAULT_APPLICATION_OPTIONS,
  PortalApplicationOptions,
} from './application';
import { databaseTemplate } from './database';
import { applicationFile, databaseTemplateFile, repoRoot } from './paths';

/** Each generated file and its content. */
export function generatedFiles(): Array<{ file: string; content: string }> {
  return [
    { file: databaseTemplateFile, content: databaseTemplate() },
    { file: applicationFile, content: applicationYaml() },
  ];
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      check: { type: 'boolean' },
      'repo-url': { type: 'string' },
      'target-revision': { type: 'string' },
      namespace: { type: 'string' },
      project: { type: 'string' },
      'application-namespace': { type: 'string' },
      cluster: { type: 'string' },
    },
  });
  if (positionals[0] === 'application') {
    if (!values['repo-url']) {
      process.stderr.write('generate application: --repo-url is required\n');
      return 2;
    }
    const d = DEFAULT_APPLICATION_OPTIONS;
    const options: PortalApplicationOptions = {
      repoUrl: values['repo-url'],
      targetRevision: values['target-revision'] ?? d.targetRevision,
      namespace: values.namespace ?? d.namespace,
      project: values.project ?? d.project,
      applicationNamespace:
        values['application-namespace'] ?? d.applicationNamespace,
      ...(values.cluster && { cluster: values.cluster }),
    };
    process.stdout.write(applicationYaml(options));
    return 0;
  }
  let stale = 0;
  for (const { file, content } of generatedFiles()) {
    const name = relative(repoRoot, file);
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    if (values.check) {
      process.stderr.write(`${name} is out of date: run generate\n`);
      stale++;
    } else {
      writeFileSync(file, content);
      process.stdout.write(`wrote ${name}\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
