/*
 * Checks of generated Terraform/OpenTofu that need no provider and no network: `tofu fmt`, and
 * static checks on the facts HashiCorp's HCL parser reads from the files (hclfacts, a small Go
 * program of this package): every module call's arguments and every module output a
 * configuration reads exist in the pinned version of that module (its interface recorded in
 * src/testdata/terraform-modules.json), the root pins every provider its modules need at an
 * exact version within their constraints, and no credential or account id is written into a
 * .tf file.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../repo';
import { repoRoot } from './manifests';

/** Where a fact was read. */
export type Position = { file: string; line: number };

/** What hclfacts prints for one module folder. */
export type ModuleFacts = {
  dir: string;
  files: string[];
  terraform: {
    requiredVersion: string | null;
    requiredProviders: Record<
      string,
      { source: string | null; version: string | null }
    >;
    backend:
      | (Position & {
          type: string;
          attributes: Record<string, string>;
        })
      | null;
  };
  variables: (Position & {
    name: string;
    type: string | null;
    description: string | null;
    hasDefault: boolean;
    sensitive: boolean;
    validations: number;
  })[];
  modules: (Position & {
    name: string;
    source: string | null;
    version: string | null;
    arguments: string[];
  })[];
  blocks: (Position & {
    kind: string;
    labels: string[];
    arguments: string[];
    literals: Record<string, string>;
  })[];
  literals: (Position & { value: string })[];
  references: (Position & { module: string; output: string })[];
  diagnostics: string[];
};

/** The recorded interface of one community module version (src/testdata/terraform-modules.json). */
export type ModuleInterface = {
  source: string;
  version: string;
  repository: string;
  tag: string;
  commit: string;
  path: string;
  requiredProviders: Record<
    string,
    { source: string | null; version: string | null }
  >;
  requiredVersion: string | null;
  variables: string[];
  outputs: string[];
};

/** The recorded interfaces of the pinned community modules. */
export function moduleInterfaces(): ModuleInterface[] {
  return JSON.parse(
    readFileSync(
      resolvePackagePath(
        '@runway/template-harness',
        'src/testdata/terraform-modules.json',
      ),
      'utf8',
    ),
  ).modules;
}

/** hclfacts as built by scripts/ensure-template-tools.sh, unless HCLFACTS says otherwise. */
export function hclfactsBinary(): string {
  return process.env.HCLFACTS || join(repoRoot, '.cache/tools/hclfacts');
}

/** OpenTofu as built by scripts/ensure-template-tools.sh, unless TOFU says otherwise. */
export function tofuBinary(): string {
  return process.env.TOFU || join(repoRoot, '.cache/tools/tofu');
}

/** The facts of each module folder (relative to repoDir), read by hclfacts. */
export async function readModuleFacts(
  repoDir: string,
  dirs: string[],
  hclfacts = hclfactsBinary(),
): Promise<ModuleFacts[]> {
  return JSON.parse(await run(hclfacts, dirs, { cwd: repoDir }));
}

/**
 * `tofu fmt -check -recursive` over a folder: the files it would reformat, with its diff;
 * empty when everything is formatted. OpenTofu reads no CLI configuration file here.
 */
export async function tofuFmtProblems(
  dir: string,
  tofu = tofuBinary(),
): Promise<string[]> {
  try {
    await run(tofu, ['fmt', '-check', '-recursive', '-diff', '.'], {
      cwd: dir,
      env: { TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1' },
    });
    return [];
  } catch (e) {
    return [`tofu fmt -check found unformatted files: ${(e as Error).message}`];
  }
}

/** A version as numbers: "6.28" → [6, 28, 0]; undefined when it is not one. */
function parseVersion(text: string): number[] | undefined {
  const m = text.trim().match(/^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/);
  return m ? [m[1], m[2] ?? '0', m[3] ?? '0'].map(Number) : undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * Whether a version meets a Terraform version constraint ("= 1.2.3", ">= 6.28, < 7", "~> 6.28",
 * "!= 1.0.0"; comma-separated conditions all hold). `~>` allows the rightmost given component to
 * grow: "~> 6.28" is >= 6.28 and < 7.0; "~> 6.28.1" is >= 6.28.1 and < 6.29. Throws on a
 * constraint it cannot read.
 */
export function satisfiesConstraint(
  version: string,
  constraint: string,
): boolean {
  const v = parseVersion(version);
  if (!v) throw new Error(`not a version: ${JSON.stringify(version)}`);
  return constraint.split(',').every(condition => {
    const m = condition.trim().match(/^(=|!=|>=|<=|>|<|~>)?\s*(\S+)$/);
    const bound = m && parseVersion(m[2]);
    if (!m || !bound) {
      throw new Error(
        `not a version constraint: ${JSON.stringify(constraint)}`,
      );
    }
    const c = compare(v, bound);
    switch (m[1] ?? '=') {
      case '=':
        return c === 0;
      case '!=':
        return c !== 0;
      case '>=':
        return c >= 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      case '<':
        return c < 0;
      default: {
        // ~>: the components given, minus the last, stay; the last may grow.
        const given = m[2].replace(/^v/, '').split('.').length;
        const upper = [...bound];
        const bump = Math.max(0, given - 2);
        upper[bump] += 1;
        for (let i = bump + 1; i < 3; i++) upper[i] = 0;
        return c >= 0 && compare(v, upper) < 0;
      }
    }
  });
}

/** An exact release: 1.2.3, no range operator. */
const EXACT = /^\d+\.\d+\.\d+$/;

const at = (facts: ModuleFacts, p: Position) =>
  `${facts.dir}/${p.file}:${p.line}`;

/**
 * Module calls and module output references against the recorded interfaces: each call names a
 * registry module at an exact version whose interface is recorded, passes only variables of that
 * version, and every `module.<call>.<output>` read is an output of it.
 */
export function checkModuleCalls(
  facts: ModuleFacts,
  interfaces: ModuleInterface[],
): string[] {
  const problems: string[] = [];
  const calls = new Map<string, ModuleInterface>();
  for (const call of facts.modules) {
    const where = `${at(facts, call)}: module "${call.name}"`;
    if (!call.source) {
      problems.push(`${where} has no literal source`);
      continue;
    }
    if (call.source.startsWith('./') || call.source.startsWith('../')) continue;
    if (!call.version || !EXACT.test(call.version)) {
      problems.push(
        `${where}: ${
          call.source
        } must be pinned to an exact version, found ${JSON.stringify(
          call.version,
        )}`,
      );
      continue;
    }
    const known = interfaces.find(
      i => i.source === call.source && i.version === call.version,
    );
    if (!known) {
      const recorded = interfaces
        .filter(i => i.source === call.source)
        .map(i => i.version);
      problems.push(
        `${where}: no recorded interface of ${call.source} ${
          call.version
        } (recorded: ${
          recorded.join(', ') || 'none'
        }); extract its variables and outputs at that tag into src/testdata/terraform-modules.json`,
      );
      continue;
    }
    calls.set(call.name, known);
    for (const argument of call.arguments) {
      if (!known.variables.includes(argument)) {
        problems.push(
          `${where}: ${call.source} ${call.version} has no variable "${argument}"`,
        );
      }
    }
  }
  for (const ref of facts.references) {
    const known = calls.get(ref.module);
    if (!facts.modules.some(m => m.name === ref.module)) {
      problems.push(
        `${at(facts, ref)}: module.${ref.module}.${
          ref.output
        } reads a module that is not called`,
      );
    } else if (known && !known.outputs.includes(ref.output)) {
      problems.push(
        `${at(facts, ref)}: module.${ref.module}.${ref.output}: ${
          known.source
        } ${known.version} has no output "${ref.output}"`,
      );
    }
  }
  return problems;
}

/**
 * The root's required_providers: each has a source and an exact version, and every provider a
 * called module requires is pinned at a version its constraint accepts. The root's
 * required_version is set.
 */
export function checkProviderPins(
  facts: ModuleFacts,
  interfaces: ModuleInterface[],
): string[] {
  const problems: string[] = [];
  const pinned = facts.terraform.requiredProviders;
  if (!facts.terraform.requiredVersion) {
    problems.push(`${facts.dir}: terraform.required_version is not set`);
  }
  for (const [name, provider] of Object.entries(pinned)) {
    if (!provider.source) {
      problems.push(`${facts.dir}: provider ${name} has no source`);
    }
    if (!provider.version || !EXACT.test(provider.version)) {
      problems.push(
        `${
          facts.dir
        }: provider ${name} must be pinned to an exact version, found ${JSON.stringify(
          provider.version,
        )}`,
      );
    }
  }
  for (const call of facts.modules) {
    const known = interfaces.find(
      i => i.source === call.source && i.version === call.version,
    );
    for (const [name, needed] of Object.entries(
      known?.requiredProviders ?? {},
    )) {
      const version = pinned[name]?.version;
      if (!version) {
        problems.push(
          `${facts.dir}: module "${call.name}" (${call.source} ${call.version}) needs provider ${name} (${needed.version}), which required_providers does not pin`,
        );
      } else if (
        needed.version &&
        EXACT.test(version) &&
        !satisfiesConstraint(version, needed.version)
      ) {
        problems.push(
          `${facts.dir}: provider ${name} ${version} does not satisfy "${needed.version}" of module "${call.name}" (${call.source} ${call.version})`,
        );
      }
    }
  }
  return problems;
}

/** Literals that must never be in a .tf file: credentials and account ids. */
const FORBIDDEN_LITERALS: { pattern: RegExp; what: string }[] = [
  { pattern: /\b(AKIA|ASIA)[A-Z0-9]{16}\b/, what: 'an AWS access key id' },
  {
    // 40 characters of base64 with digits and both cases, standing alone.
    pattern:
      /(^|[^A-Za-z0-9/+])(?=[A-Za-z0-9/+]*\d)(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])[A-Za-z0-9/+]{40}($|[^A-Za-z0-9/+])/,
    what: 'what looks like an AWS secret access key',
  },
  { pattern: /(^|\D)\d{12}(\D|$)/, what: 'an AWS account id' },
  {
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    what: 'a private key',
  },
];

/** Provider arguments that carry credentials. */
const CREDENTIAL_ARGUMENTS = [
  'access_key',
  'secret_key',
  'token',
  'profile',
  'shared_credentials_files',
];

/**
 * No credential and no account id in the module's .tf files (they belong in variables, set by
 * terraform.tfvars, or in the caller's environment), no provider configured with credentials,
 * and the AWS provider restricted to the environment's account (allowed_account_ids).
 */
export function checkNoHardCodedSecrets(facts: ModuleFacts): string[] {
  const problems: string[] = [];
  for (const literal of facts.literals) {
    for (const { pattern, what } of FORBIDDEN_LITERALS) {
      if (pattern.test(literal.value)) {
        problems.push(
          `${at(
            facts,
            literal,
          )}: ${what} is written into the configuration (${JSON.stringify(
            literal.value.slice(0, 60),
          )}); take it from a variable`,
        );
      }
    }
  }
  const providers = facts.blocks.filter(b => b.kind === 'provider');
  for (const provider of providers) {
    for (const argument of provider.arguments) {
      if (CREDENTIAL_ARGUMENTS.includes(argument)) {
        problems.push(
          `${at(facts, provider)}: provider ${
            provider.labels[0]
          } sets ${argument}; credentials come from the caller's environment`,
        );
      }
    }
  }
  const aws = providers.filter(p => p.labels[0] === 'aws');
  if (aws.length === 0 && facts.terraform.requiredProviders.aws) {
    problems.push(
      `${facts.dir}: no provider "aws" block restricting allowed_account_ids`,
    );
  }
  for (const provider of aws) {
    if (!provider.arguments.includes('allowed_account_ids')) {
      problems.push(
        `${at(facts, provider)}: provider aws does not set allowed_account_ids`,
      );
    }
  }
  return problems;
}

/** Every check of this file on one module folder's facts. */
export function checkTerraformFacts(
  facts: ModuleFacts,
  interfaces: ModuleInterface[] = moduleInterfaces(),
): string[] {
  return [
    ...facts.diagnostics.map(d => `${facts.dir}: ${d}`),
    ...checkModuleCalls(facts, interfaces),
    ...checkProviderPins(facts, interfaces),
    ...checkNoHardCodedSecrets(facts),
  ];
}
