import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';
import { LocalCheckoutUrlReader } from '@runway/plugin-local-checkout-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import nunjucks from 'nunjucks';
import { parse } from 'yaml';

/** The templates folder of this repository. */
export const templatesDir = resolve(
  resolvePackagePath('@runway/template-harness'),
  '../../templates',
);

/**
 * Where the harness pretends this repository lives. Templates are registered in the catalog
 * by URL (as in production), so `fetch:template` resolves `../skeletons/<part>` against the
 * template's URL exactly as the scaffolder does, and this reader serves those URLs from the
 * checkout. (A file-registered template may not fetch outside its own folder.)
 */
export const REPO_URL = 'https://github.com/example-org/runway';
const repoRoot = resolve(templatesDir, '..');

/** Serves `REPO_URL/(blob|tree)/<ref>/<path>` from this checkout, as the dev backend does. */
const checkoutReader = new LocalCheckoutUrlReader({
  url: REPO_URL,
  path: repoRoot,
});

const templateUrl = (file: string) =>
  `${REPO_URL}/blob/main/${file.slice(repoRoot.length + 1)}`;

const integrations = ScmIntegrations.fromConfig(new ConfigReader({}));
const fetchTemplate = createFetchTemplateAction({
  reader: checkoutReader,
  integrations,
});

type FetchTemplateInput = {
  url: string;
  targetPath?: string;
  values?: Record<string, any>;
  [key: string]: unknown;
};

/**
 * Runs the real fetch:template action once. Its scratch copy of the skeleton goes to a
 * temporary folder of its own, so only rendered files land in the workspace.
 */
async function runFetchTemplate(options: {
  input: FetchTemplateInput;
  workspacePath: string;
  templateFile: string;
  templateName: string;
}) {
  mkdirSync(options.workspacePath, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'runway-fetch-template-'));
  try {
    const ctx = createMockActionContext({
      input: options.input as any,
      workspacePath: options.workspacePath,
      templateInfo: {
        entityRef: `template:default/${options.templateName}`,
        baseUrl: templateUrl(options.templateFile),
      },
    });
    ctx.createTemporaryDirectory = async () =>
      mkdtempSync(join(scratch, 'step-'));
    await fetchTemplate.handler(ctx as any);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Renders `${{ … }}` expressions in step inputs against the parameters, as the
 * scaffolder's workflow runner does (same delimiters, same parseRepoUrl filter).
 */
function renderInput(
  value: unknown,
  env: nunjucks.Environment,
  parameters: object,
): unknown {
  if (typeof value === 'string') {
    const whole = value.match(/^\$\{\{\s*([\s\S]+?)\s*\}\}$/);
    if (whole && !whole[1].includes('}}')) {
      // A lone expression keeps its type (boolean, number, object), like the scaffolder.
      const json = env.renderString(`\${{ (${whole[1]}) | dump }}`, {
        parameters,
      });
      return json === '' ? undefined : JSON.parse(json);
    }
    return env.renderString(value, { parameters });
  }
  if (Array.isArray(value))
    return value.map(v => renderInput(v, env, parameters));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        renderInput(v, env, parameters),
      ]),
    );
  }
  return value;
}

/**
 * Renders a template's `fetch:template` steps into `outDir` with the real fetch:template
 * action of @backstage/plugin-scaffolder-backend, in step order. Other steps (publish,
 * register, Argo CD, CNPG) are remote side effects and are not run.
 */
export async function renderTemplate(options: {
  template: string; // folder name under templates/
  parameters: Record<string, unknown>;
  outDir: string;
}): Promise<void> {
  const templateFile = resolve(templatesDir, options.template, 'template.yaml');
  const template = parse(readFileSync(templateFile, 'utf8'));
  const env = new nunjucks.Environment(undefined, {
    autoescape: false,
    tags: { variableStart: '${{', variableEnd: '}}' },
  });
  // The scaffolder's own parseRepoUrl, as its template filter of the same name uses it.
  env.addFilter('parseRepoUrl', (url: string) =>
    parseRepoUrl(url, integrations),
  );
  env.addFilter('dump', (v: unknown) =>
    v === undefined ? '' : JSON.stringify(v),
  );

  const steps: { action: string; input?: Record<string, unknown> }[] =
    template.spec.steps;
  for (const step of steps.filter(s => s.action === 'fetch:template')) {
    await runFetchTemplate({
      input: renderInput(
        step.input ?? {},
        env,
        options.parameters,
      ) as FetchTemplateInput,
      workspacePath: options.outDir,
      templateFile,
      templateName: template.metadata.name,
    });
  }
}

/** Renders one skeleton part (a path under templates/, e.g. skeletons/go) with the real action. */
export async function renderSkeleton(options: {
  skeleton: string;
  values: Record<string, unknown>;
  outDir: string;
  targetPath?: string;
}): Promise<void> {
  await runFetchTemplate({
    input: {
      url: `./${options.skeleton}`,
      targetPath: options.targetPath ?? './',
      values: options.values,
    },
    workspacePath: options.outDir,
    templateFile: resolve(templatesDir, 'template.yaml'),
    templateName: 'harness',
  });
}
