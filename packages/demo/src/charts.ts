import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { RenderedObject } from '@runway/control-plane';
import { DemoEnvironment } from './plan';

const run = promisify(execFile);

/** The root of this monorepo: two levels above this package. */
export const repoRoot = resolve(
  dirname(require.resolve('@runway/demo/package.json')),
  '../..',
);

/** helm: env HELM, else the tools folder `scripts/ensure-template-tools.sh --helm-only` fills. */
export function helmBinary(): string {
  return process.env.HELM || resolve(repoRoot, '.cache/tools/helm');
}

/** A chart's own values.yaml. */
export function chartValues(chartDir: string): any {
  return parse(
    readFileSync(resolve(repoRoot, chartDir, 'values.yaml'), 'utf8'),
  );
}

/**
 * `helm template <release> <chart> -f values.yaml -f values-<env>.yaml -f <overrides>`, as
 * Argo CD renders a service for an environment, parsed into objects.
 */
export async function renderService(options: {
  release: string;
  chartDir: string;
  environment: DemoEnvironment;
  namespace: string;
  values: Record<string, unknown>;
}): Promise<RenderedObject[]> {
  const helm = helmBinary();
  if (!existsSync(helm)) {
    throw new Error(
      `helm not found at ${helm}: run scripts/ensure-template-tools.sh --helm-only (make demo does) or set HELM`,
    );
  }
  const chart = resolve(repoRoot, options.chartDir);
  const dir = mkdtempSync(join(tmpdir(), 'runway-demo-values-'));
  const overrides = join(dir, 'values-demo.yaml');
  writeFileSync(overrides, stringify(options.values));
  try {
    const { stdout } = await run(
      helm,
      [
        'template',
        options.release,
        chart,
        '-f',
        join(chart, 'values.yaml'),
        '-f',
        join(chart, `values-${options.environment}.yaml`),
        '-f',
        overrides,
        '--namespace',
        options.namespace,
        // A helm built with `go install` would otherwise claim Kubernetes v1.20.
        '--kube-version',
        '1.33.0',
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    return parseAllDocuments(stdout)
      .map(doc => doc.toJS())
      .filter((o): o is RenderedObject => o !== null && o !== undefined);
  } catch (e: any) {
    const output = [e.stdout, e.stderr].filter(Boolean).join('\n').trim();
    throw new Error(
      `helm template ${options.release} (${options.chartDir}, ${
        options.environment
      }) failed:\n${output || e.message}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
