import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isMap, isScalar, isSeq, parseDocument, YAMLMap } from 'yaml';

const exec = promisify(execFile);

/** actionlint as installed by scripts/ensure-template-tools.sh, unless ACTIONLINT says otherwise. */
export const defaultActionlint =
  process.env.ACTIONLINT ??
  resolvePackagePath(
    '@runway/template-harness',
    '../../.cache/tools/actionlint',
  );

/** `owner/repo@sha` or `owner/repo/path@sha`, the SHA a full 40-hex commit. */
const PINNED_ACTION = /^[\w.-]+\/[\w.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;
/** Container actions: pinned by digest. */
const PINNED_DOCKER = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;
/** The release the SHA belongs to, e.g. `v5.0.0` or `0.36.0` (major.minor at least). */
const VERSION_COMMENT = /^\s*v?\d+\.\d+(\.\d+)?([-+.][\w.-]*)?(\s|$)/;

const AWS_CREDENTIALS = 'aws-actions/configure-aws-credentials';
const ECR_LOGIN = 'aws-actions/amazon-ecr-login';

/** Which jobs of a workflow may mint an OIDC token (`id-token: write`). */
export type OidcPolicy = {
  /** The jobs allowed, in words: "the ECR push job". */
  allowed: string;
  /** The actions such a job must use (the token goes to them and nowhere else). */
  requiredActions: string[];
  /** How many jobs may have it. */
  maxJobs: number;
};

/** A service's CI: only the job that pushes the image to ECR, once. */
export const ECR_PUSH_OIDC: OidcPolicy = {
  allowed: 'the ECR push job',
  requiredActions: [AWS_CREDENTIALS, ECR_LOGIN],
  maxJobs: 1,
};

/** A Terraform workflow: the plan and apply jobs, each exchanging it for AWS credentials. */
export const TERRAFORM_OIDC: OidcPolicy = {
  allowed: 'a job that exchanges it for AWS credentials',
  requiredActions: [AWS_CREDENTIALS],
  maxJobs: 2,
};

type ActionlintError = {
  message: string;
  filepath: string;
  line: number;
  column: number;
  kind: string;
};

/**
 * Checks a repository's GitHub Actions workflows (`.github/workflows/*.y(a)ml`):
 * actionlint with its shellcheck integration, then the supply-chain rules that
 * actionlint leaves alone (see {@link checkWorkflowText}). Returns the problems, one
 * line each; empty when the workflows pass.
 */
export async function checkWorkflows(
  repoDir: string,
  actionlintBin: string = defaultActionlint,
  oidc: OidcPolicy = ECR_PUSH_OIDC,
): Promise<string[]> {
  const dir = join(repoDir, '.github/workflows');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter(f => /\.ya?ml$/.test(f))
        .sort()
        .map(f => `.github/workflows/${f}`)
    : [];
  if (files.length === 0) return [`${repoDir}: no .github/workflows/*.yaml`];
  return [
    ...(await runActionlint(repoDir, files, actionlintBin)),
    ...files.flatMap(file =>
      checkWorkflowText(readFileSync(join(repoDir, file), 'utf8'), file, oidc),
    ),
  ];
}

/** actionlint over the files; shellcheck must be there, or run: scripts would go unchecked. */
async function runActionlint(
  repoDir: string,
  files: string[],
  actionlintBin: string,
): Promise<string[]> {
  const shellcheck = process.env.SHELLCHECK ?? 'shellcheck';
  try {
    await exec(shellcheck, ['--version']);
  } catch {
    return [
      `shellcheck (${shellcheck}) is not installed, so actionlint would not check run: scripts; run scripts/ensure-template-tools.sh`,
    ];
  }
  let stdout: string;
  try {
    ({ stdout } = await exec(
      actionlintBin,
      // pyflakes off: the workflows have no Python steps.
      [
        '-format',
        '{{json .}}',
        '-shellcheck',
        shellcheck,
        '-pyflakes',
        '',
        ...files,
      ],
      { cwd: repoDir, maxBuffer: 16 * 1024 * 1024 },
    ));
  } catch (e: any) {
    // Exit status 1 means "problems found" (listed on stdout); anything else is a failure to run.
    if (e.code !== 1 || !e.stdout) {
      return [
        `actionlint (${actionlintBin}) could not run: ${
          e.stderr || e.message
        }`.trim(),
      ];
    }
    stdout = e.stdout;
  }
  const errors: ActionlintError[] = JSON.parse(stdout.trim() || '[]') ?? [];
  return errors.map(
    e =>
      `${e.filepath}:${e.line}:${e.column}: actionlint [${e.kind}]: ${e.message}`,
  );
}

/**
 * The rules on one workflow's text, with a YAML parser:
 * - every `uses:` (steps and reusable-workflow jobs) is `owner/repo(/path)@<40-hex SHA>`
 *   followed by a comment naming the version (`# v5.0.0`); local `./` actions are fine,
 *   `docker://` images need a sha256 digest;
 * - the top-level permissions are exactly `contents: read`; no `write-all` anywhere;
 * - `id-token: write` only on the jobs the OIDC policy allows (default: the job that pushes
 *   to ECR, using configure-aws-credentials and amazon-ecr-login, and one job at most).
 */
export function checkWorkflowText(
  text: string,
  file: string,
  oidc: OidcPolicy = ECR_PUSH_OIDC,
): string[] {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    return doc.errors.map(e => `${file}: invalid YAML: ${e.message}`);
  }
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? 0 : text.slice(0, offset).split('\n').length;
  const problems: string[] = [];
  const root = doc.contents;
  if (!isMap(root)) return [`${file}: not a workflow (no top-level mapping)`];

  const topPermissions = root.get('permissions', true);
  const top = doc.toJS()?.permissions;
  if (
    !isMap(topPermissions) ||
    Object.keys(top).length !== 1 ||
    top.contents !== 'read'
  ) {
    problems.push(
      `${file}:${lineOf(
        topPermissions?.range?.[0],
      )}: top-level permissions must be exactly "contents: read", found ${
        top === undefined
          ? 'none (the repository default)'
          : JSON.stringify(top)
      }`,
    );
  }

  const checkUses = (node: unknown, where: string) => {
    if (!isScalar(node) || typeof node.value !== 'string') {
      problems.push(`${file}: ${where}: uses is not a string`);
      return;
    }
    const at = `${file}:${lineOf(node.range?.[0])}: ${where}`;
    const uses = node.value;
    if (uses.startsWith('./')) return; // this repository's own action or workflow
    if (uses.startsWith('docker://')) {
      if (!PINNED_DOCKER.test(uses)) {
        problems.push(`${at}: ${uses} is not pinned to a sha256 digest`);
      }
      return;
    }
    if (!PINNED_ACTION.test(uses)) {
      problems.push(
        `${at}: ${uses} is not pinned to a full 40-hex commit SHA (owner/repo@<sha> # vX.Y.Z)`,
      );
    } else if (!VERSION_COMMENT.test(node.comment ?? '')) {
      problems.push(
        `${at}: ${uses} has no version comment after the SHA (e.g. "# v1.2.3")`,
      );
    }
  };

  const jobs = root.get('jobs', true);
  if (!isMap(jobs)) return [...problems, `${file}: no jobs`];
  const idTokenJobs: string[] = [];
  for (const pair of jobs.items) {
    const id = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const job = pair.value;
    if (!isMap(job)) continue;
    if (job.has('uses')) checkUses(job.get('uses', true), `job ${id}`);
    const steps = job.get('steps', true);
    const actions: string[] = [];
    if (isSeq(steps)) {
      steps.items.forEach((step, i) => {
        if (!isMap(step) || !step.has('uses')) return;
        const uses = step.get('uses', true);
        checkUses(uses, `job ${id}, step ${i + 1}`);
        if (isScalar(uses)) actions.push(String(uses.value).split('@')[0]);
      });
    }
    const permissions = job.get('permissions', true);
    if (isScalar(permissions) && permissions.value === 'write-all') {
      problems.push(
        `${file}:${lineOf(
          permissions.range?.[0],
        )}: job ${id} has permissions write-all`,
      );
    }
    if (
      isMap(permissions) &&
      (permissions as YAMLMap).get('id-token') === 'write'
    ) {
      idTokenJobs.push(id);
      if (!oidc.requiredActions.every(action => actions.includes(action))) {
        problems.push(
          `${file}:${lineOf(
            permissions.range?.[0],
          )}: job ${id} has id-token: write but is not ${
            oidc.allowed
          } (${oidc.requiredActions.join(' + ')})`,
        );
      }
    }
  }
  if (idTokenJobs.length > oidc.maxJobs) {
    problems.push(
      `${file}: id-token: write on ${
        idTokenJobs.length
      } jobs (${idTokenJobs.join(', ')}); only ${oidc.allowed} may have it${
        oidc.maxJobs > 1 ? `, on ${oidc.maxJobs} jobs at most` : ''
      }`,
    );
  }
  return problems;
}
