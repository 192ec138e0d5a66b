/*
 * Strict validation of custom resources against the CRD JSON schemas Runway emits
 * objects for (kubeconform layout), shared by the template harness and the plugins'
 * manifest-builder tests.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The root of this monorepo: two levels above this package. */
const repoRoot = resolve(
  dirname(require.resolve('@runway/testing/package.json')),
  '../..',
);

/** A Kubernetes object as far as validation cares. */
export type KubernetesObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: object;
  [key: string]: unknown;
};

/**
 * The CRD JSON schemas, in kubeconform's layout `<group>/<kind>_<version>.json`: env
 * CRD_SCHEMAS_DIR, else `../shared/crd-schemas` next to this repository (CI has it), or next to
 * the main checkout when this is a git worktree.
 * Outside, clone the same schemas from https://github.com/datreeio/CRDs-catalog and
 * point CRD_SCHEMAS_DIR at the clone.
 */
export function crdSchemasDir(): string {
  if (process.env.CRD_SCHEMAS_DIR) return process.env.CRD_SCHEMAS_DIR;
  const beside = resolve(repoRoot, '../shared/crd-schemas');
  if (existsSync(beside)) return beside;
  // A git worktree elsewhere: beside the main checkout instead.
  const git = spawnSync('git', ['rev-parse', '--git-common-dir'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (git.status === 0) {
    const main = resolve(
      repoRoot,
      git.stdout.trim(),
      '../../shared/crd-schemas',
    );
    if (existsSync(main)) return main;
  }
  return beside;
}

/** ajv's messages, for errors that carry none (kubernetes-models' standalone code). */
export function formatError(error: Partial<ErrorObject>): string {
  const path = error.instancePath || '/';
  if (error.message) return `${path} ${error.message}`;
  const params = error.params ?? {};
  switch (error.keyword) {
    case 'type':
      return `${path} must be ${params.type}`;
    case 'required':
      return `${path} must have required property '${params.missingProperty}'`;
    case 'enum':
      return `${path} must be one of ${JSON.stringify(params.allowedValues)}`;
    default:
      return `${path} fails ${error.keyword} ${JSON.stringify(params)}`;
  }
}

// Keywords of Kubernetes structural schemas that carry no JSON-schema validation.
const KUBERNETES_KEYWORDS = [
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
];

/**
 * CRD patterns are Go (RE2) regular expressions, which may open with inline flags such as
 * `(?i)` (prometheus-operator's PrometheusRule does); JavaScript takes those as flags.
 */
export const goRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const inline = /^(\^?)\(\?([ims]+)\)/.exec(pattern);
    if (!inline) return new RegExp(pattern, flags);
    const extra = [...new Set(inline[2])].filter(f => !flags.includes(f));
    return new RegExp(
      inline[1] + pattern.slice(inline[0].length),
      flags + extra.join(''),
    );
  },
  { code: 'new RegExp' },
);

let crdAjv: Ajv | undefined;
const crdValidators = new Map<string, ValidateFunction>();

export function validateCustomResource(
  object: KubernetesObject,
  schemaFile: string,
): string[] {
  if (!crdAjv) {
    crdAjv = new Ajv({
      allErrors: true,
      // CRD schemas are OpenAPI v3 subsets: keep unknown keywords an error, but don't
      // demand the extra `type`s and `required` properties strict mode wants.
      strictTypes: false,
      strictRequired: false,
      strictTuples: false,
      code: { regExp: goRegExp },
    });
    addFormats(crdAjv);
    crdAjv.addVocabulary(KUBERNETES_KEYWORDS);
  }
  let validate = crdValidators.get(schemaFile);
  if (!validate) {
    validate = crdAjv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    crdValidators.set(schemaFile, validate);
  }
  const problems: string[] = [];
  // The schemas (like kubeconform's) only describe spec and status at the top level.
  const schema = validate.schema as { properties?: Record<string, unknown> };
  const known = new Set([
    'apiVersion',
    'kind',
    'metadata',
    ...Object.keys(schema.properties ?? {}),
  ]);
  for (const key of Object.keys(object)) {
    if (!known.has(key)) problems.push(`unknown field /${key}`);
  }
  if (!validate(object)) {
    for (const error of validate.errors ?? []) {
      problems.push(
        error.keyword === 'additionalProperties'
          ? `unknown field ${error.instancePath}/${error.params.additionalProperty}`
          : formatError(error),
      );
    }
  }
  return problems;
}

/** The schema file of an object's apiVersion and kind: `<group>/<kind>_<version>.json`. */
export function crdSchemaFile(
  object: Pick<KubernetesObject, 'apiVersion' | 'kind'>,
  schemasDir = crdSchemasDir(),
): string {
  const [group, version] = (object.apiVersion ?? '').split('/');
  return resolve(
    schemasDir,
    group,
    `${(object.kind ?? '').toLowerCase()}_${version}.json`,
  );
}

/**
 * The problems of one custom resource against its CRD schema, one line each (empty when
 * it is valid). Throws when there is no schema for its apiVersion and kind.
 */
export function validateCrd(object: KubernetesObject): string[] {
  const file = crdSchemaFile(object);
  if (!existsSync(file)) {
    throw new Error(
      `no CRD schema for ${object.apiVersion} ${object.kind} (${file})`,
    );
  }
  return validateCustomResource(object, file);
}
