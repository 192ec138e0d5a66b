import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
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
 * by URL (as in production), so `fetch:template` resolves `./skeletons/<part>` against the
 * template's URL exactly as the scaffolder does, and this reader serves those URLs from the
 * checkout.
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

/**
 * The scaffolder's built-in template filters, exactly as its workflow runner registers
 * them. The package does not export them, so they are loaded from its build by path.
 */
const scaffolderFilters: { id: string; filter: (...args: any[]) => unknown }[] =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(resolve(
    resolvePackagePath('@backstage/plugin-scaffolder-backend'),
    'dist/lib/templating/filters/createDefaultFilters.cjs.js',
  )).createDefaultFilters({ integrations });

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

/** What `${{ … }}` expressions of a template see: the parameters and earlier steps' outputs. */
export type TemplateContext = {
  parameters: object;
  steps?: Record<string, { output: Record<string, unknown> }>;
};

/**
 * Renders `${{ … }}` expressions in step inputs against the context, as the scaffolder's
 * workflow runner does (same delimiters, same built-in filters).
 */
function renderInput(
  value: unknown,
  env: nunjucks.Environment,
  context: TemplateContext,
): unknown {
  if (typeof value === 'string') {
    const whole = value.match(/^\$\{\{\s*([\s\S]+?)\s*\}\}$/);
    if (whole && !whole[1].includes('}}')) {
      // A lone expression keeps its type (boolean, number, object), like the scaffolder.
      const json = env.renderString(`\${{ (${whole[1]}) | dump }}`, context);
      return json === '' ? undefined : JSON.parse(json);
    }
    return env.renderString(value, context);
  }
  if (Array.isArray(value)) return value.map(v => renderInput(v, env, context));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, renderInput(v, env, context)]),
    );
  }
  return value;
}

/** A nunjucks environment with the scaffolder's delimiters and built-in filters. */
function templatingEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(undefined, {
    autoescape: false,
    tags: { variableStart: '${{', variableEnd: '}}' },
  });
  for (const { id, filter } of scaffolderFilters) env.addFilter(id, filter);
  env.addFilter('dump', (v: unknown) =>
    v === undefined ? '' : JSON.stringify(v),
  );
  return env;
}

/**
 * Replaces `{ $yaml: <relative path> }` with the parsed file, as the catalog's placeholder
 * processor does when it reads a template (templates share form pages this way).
 */
function resolvePlaceholders(value: unknown, baseDir: string): unknown {
  if (Array.isArray(value))
    return value.map(v => resolvePlaceholders(v, baseDir));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === '$yaml') {
      const file = resolve(baseDir, String(entries[0][1]));
      return resolvePlaceholders(parse(readFileSync(file, 'utf8')), baseDir);
    }
    return Object.fromEntries(
      entries.map(([k, v]) => [k, resolvePlaceholders(v, baseDir)]),
    );
  }
  return value;
}

/** A template's entity as the catalog serves it: `templates/<name>.yaml`, placeholders resolved. */
export function loadTemplate(name: string): any {
  return resolvePlaceholders(
    parse(readFileSync(templateFileOf(name), 'utf8')),
    templatesDir,
  );
}

/** The file of a template: `templates/<name>.yaml`, beside the parts it fetches. */
export function templateFileOf(name: string): string {
  return resolve(templatesDir, `${name}.yaml`);
}

/**
 * One step of a template with its `if` and `input` rendered as the scaffolder would render
 * them for these parameters and earlier steps' outputs (for steps the harness does not run).
 */
export function renderStep(
  template: string,
  stepId: string,
  context: TemplateContext,
): { action: string; runs: boolean; input: Record<string, unknown> } {
  const step = loadTemplate(template).spec.steps.find(
    (s: { id: string }) => s.id === stepId,
  );
  if (!step) throw new Error(`template ${template} has no step ${stepId}`);
  const env = templatingEnvironment();
  const condition =
    step.if === undefined ? true : renderInput(step.if, env, context);
  return {
    action: step.action,
    runs: Boolean(condition),
    input: renderInput(step.input ?? {}, env, context) as Record<
      string,
      unknown
    >,
  };
}

/**
 * Renders a template's `fetch:template` steps into `outDir` with the real fetch:template
 * action of @backstage/plugin-scaffolder-backend, in step order. Other steps (publish,
 * register, Argo CD, CNPG) are remote side effects and are not run.
 */
export async function renderTemplate(options: {
  template: string; // templates/<template>.yaml
  parameters: Record<string, unknown>;
  outDir: string;
}): Promise<void> {
  const templateFile = templateFileOf(options.template);
  const template = loadTemplate(options.template);
  const env = templatingEnvironment();

  const steps: { action: string; input?: Record<string, unknown> }[] =
    template.spec.steps;
  for (const step of steps.filter(s => s.action === 'fetch:template')) {
    await runFetchTemplate({
      input: renderInput(step.input ?? {}, env, {
        parameters: options.parameters,
      }) as FetchTemplateInput,
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
