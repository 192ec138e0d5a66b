import {
  mkdirSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { parse } from 'yaml';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { STAGING_VERIFICATION_CONTEXT } from '@runway/plugin-argocd-node';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderSkeleton, renderStep } from '../render';
import {
  checkWorkflows,
  checkWorkflowText,
  defaultActionlint,
  TERRAFORM_OIDC,
} from './workflow';
import {
  partValues,
  serviceParameters,
  webParameters,
} from '../__testUtils__/values';
import { KUBE_VERSION } from './manifests';

const SHA = '3d3c42e5aac5ba805825da76410c181273ba90b1';
const CHECKOUT = `actions/checkout@${SHA} # v7.0.1`;

/** A small workflow that passes every rule; cases replace parts of it. */
function workflow(
  options: { permissions?: string; steps?: string; jobs?: string } = {},
) {
  return `name: ci
on: push
${options.permissions ?? 'permissions:\n  contents: read'}
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
${options.steps ?? `      - uses: ${CHECKOUT}\n      - run: echo "ok"`}
${options.jobs ?? ''}`;
}

const ecrJob = (permissions: string) => `  push:
    runs-on: ubuntu-24.04
    permissions:
${permissions}
    steps:
      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
        with:
          role-to-assume: arn:aws:iam::123456789012:role/push
          aws-region: eu-west-1
      - uses: aws-actions/amazon-ecr-login@03f1aad4c6c7ffd436567f42f9384779290529bd # v2.1.7
`;

describe('checkWorkflowText', () => {
  it.each<[string, string, RegExp[]]>([
    ['a pinned workflow', workflow(), []],
    [
      'a version tag instead of a SHA',
      workflow({ steps: '      - uses: actions/checkout@v5 # v5.0.0' }),
      [/actions\/checkout@v5 is not pinned to a full 40-hex commit SHA/],
    ],
    [
      'a short SHA',
      workflow({ steps: '      - uses: actions/checkout@3d3c42e # v7.0.1' }),
      [/not pinned to a full 40-hex commit SHA/],
    ],
    [
      'a branch',
      workflow({ steps: '      - uses: actions/checkout@main' }),
      [/not pinned/],
    ],
    [
      'an upper-case SHA',
      workflow({
        steps: `      - uses: actions/checkout@${SHA.toUpperCase()} # v7.0.1`,
      }),
      [/not pinned/],
    ],
    [
      'a SHA without a version comment',
      workflow({ steps: `      - uses: actions/checkout@${SHA}` }),
      [/has no version comment/],
    ],
    [
      'a comment that names no version',
      workflow({ steps: `      - uses: actions/checkout@${SHA} # latest` }),
      [/has no version comment/],
    ],
    [
      'a pinned action in a subfolder',
      workflow({
        steps: `      - uses: github/codeql-action/upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e # v4.36.2\n        with:\n          sarif_file: x.sarif`,
      }),
      [],
    ],
    [
      'a local action',
      workflow({ steps: '      - uses: ./.github/actions/setup' }),
      [],
    ],
    [
      'a docker action without a digest',
      workflow({ steps: '      - uses: docker://alpine:3.22' }),
      [/docker:\/\/alpine:3.22 is not pinned to a sha256 digest/],
    ],
    [
      'a docker action with a digest',
      workflow({
        steps: `      - uses: docker://alpine@sha256:${'a'.repeat(64)}`,
      }),
      [],
    ],
    [
      'an unpinned reusable workflow',
      workflow({
        jobs: '  shared:\n    uses: example-org/workflows/.github/workflows/build.yaml@v1\n',
      }),
      [
        /job shared: example-org\/workflows\/.github\/workflows\/build.yaml@v1 is not pinned/,
      ],
    ],
    [
      'a pinned reusable workflow',
      workflow({
        jobs: `  shared:\n    uses: example-org/workflows/.github/workflows/build.yaml@${SHA} # v1.4.0\n`,
      }),
      [],
    ],
    [
      'no top-level permissions',
      workflow({ permissions: '' }),
      [/top-level permissions must be exactly "contents: read", found none/],
    ],
    [
      'top-level write-all',
      workflow({ permissions: 'permissions: write-all' }),
      [
        /top-level permissions must be exactly "contents: read", found "write-all"/,
      ],
    ],
    [
      'top-level contents: write',
      workflow({ permissions: 'permissions:\n  contents: write' }),
      [/top-level permissions must be exactly "contents: read"/],
    ],
    [
      'top-level id-token: write',
      workflow({
        permissions: 'permissions:\n  contents: read\n  id-token: write',
      }),
      [/top-level permissions must be exactly "contents: read"/],
    ],
    [
      'id-token: write on the ECR push job',
      workflow({ jobs: ecrJob('      contents: read\n      id-token: write') }),
      [],
    ],
    [
      'id-token: write on another job',
      workflow({
        jobs: `  deploy:\n    runs-on: ubuntu-24.04\n    permissions:\n      id-token: write\n    steps:\n      - run: echo "deploy"\n`,
      }),
      [/job deploy has id-token: write but is not the ECR push job/],
    ],
    [
      'write-all on a job',
      workflow({
        jobs: `  release:\n    runs-on: ubuntu-24.04\n    permissions: write-all\n    steps:\n      - run: echo "release"\n`,
      }),
      [/job release has permissions write-all/],
    ],
  ])('%s', (_, text, expected) => {
    const problems = checkWorkflowText(text, 'ci.yaml');
    expect(problems).toEqual(
      expected.map(problem => expect.stringMatching(problem)),
    );
  });

  it('refuses id-token: write on two ECR push jobs', () => {
    const text = workflow({
      jobs:
        ecrJob('      id-token: write') +
        ecrJob('      id-token: write').replace('  push:', '  push-again:'),
    });
    expect(checkWorkflowText(text, 'ci.yaml')).toEqual([
      expect.stringMatching(/id-token: write on 2 jobs \(push, push-again\)/),
    ]);
  });

  describe('with the Terraform workflow policy', () => {
    const awsJob = (name: string) => `  ${name}:
    runs-on: ubuntu-24.04
    permissions:
      id-token: write
    steps:
      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
        with:
          role-to-assume: arn:aws:iam::123456789012:role/plan
          aws-region: eu-west-1
`;

    it('accepts id-token: write on the plan and apply jobs that assume AWS roles', () => {
      const text = workflow({ jobs: awsJob('plan') + awsJob('apply') });
      expect(checkWorkflowText(text, 'terraform.yaml', TERRAFORM_OIDC)).toEqual(
        [],
      );
    });

    it('refuses it on a job that does not exchange it for AWS credentials, and on a third job', () => {
      const other = `  other:\n    runs-on: ubuntu-24.04\n    permissions:\n      id-token: write\n    steps:\n      - run: echo "x"\n`;
      const text = workflow({
        jobs: awsJob('plan') + awsJob('apply') + other,
      });
      expect(checkWorkflowText(text, 'terraform.yaml', TERRAFORM_OIDC)).toEqual(
        [
          expect.stringMatching(
            /job other has id-token: write but is not a job that exchanges it for AWS credentials \(aws-actions\/configure-aws-credentials\)/,
          ),
          'terraform.yaml: id-token: write on 3 jobs (plan, apply, other); only a job that exchanges it for AWS credentials may have it, on 2 jobs at most',
        ],
      );
    });
  });

  it('reports invalid YAML', () => {
    expect(checkWorkflowText('jobs: [', 'ci.yaml')).toEqual([
      expect.stringMatching(/^ci.yaml: invalid YAML/),
    ]);
  });
});

describe('checkWorkflows', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'workflow-check-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (text: string) => {
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(join(dir, '.github/workflows/ci.yaml'), text);
  };

  it('passes a clean workflow', async () => {
    write(workflow());
    expect(await checkWorkflows(dir)).toEqual([]);
  });

  it.each<[string, string, RegExp]>([
    [
      'a shellcheck finding in a run: script',
      workflow({ steps: `      - uses: ${CHECKOUT}\n      - run: echo $HOME` }),
      /ci.yaml:10:\d+: actionlint \[shellcheck\]: .*SC2086/,
    ],
    [
      'an unknown expression context',
      workflow({
        steps: `      - uses: ${CHECKOUT}\n      - run: echo "\${{ nosuch.value }}"`,
      }),
      /actionlint \[expression\]: undefined variable "nosuch"/,
    ],
    [
      'an unknown job key',
      workflow({
        jobs: '  other:\n    runs-on: ubuntu-24.04\n    stepz: []\n',
      }),
      /actionlint \[syntax-check\]/,
    ],
  ])('reports %s', async (_, text, expected) => {
    write(text);
    expect(await checkWorkflows(dir)).toContainEqual(
      expect.stringMatching(expected),
    );
  });

  it('reports actionlint and pinning problems together', async () => {
    write(
      workflow({
        steps: '      - uses: actions/checkout@v5\n      - run: echo $HOME',
      }),
    );
    const problems = await checkWorkflows(dir);
    expect(problems).toContainEqual(expect.stringMatching(/SC2086/));
    expect(problems).toContainEqual(expect.stringMatching(/is not pinned/));
  });

  it('reports a repository without workflows', async () => {
    expect(await checkWorkflows(dir)).toEqual([
      expect.stringMatching(/no .github\/workflows/),
    ]);
  });

  it('reports an actionlint that cannot run', async () => {
    write(workflow());
    expect(await checkWorkflows(dir, join(dir, 'no-such-actionlint'))).toEqual([
      expect.stringMatching(/could not run/),
    ]);
  });
});

describe('the shared CI part (templates/skeletons/ci)', () => {
  const values = partValues();

  const variants: [string, boolean][] = [
    ['go', true],
    ['go', false],
    ['typescript', true],
    ['typescript', false],
  ];
  const outDirs = new Map<string, string>();
  beforeAll(async () => {
    for (const [language, database] of variants) {
      const outDir = mkdtempSync(join(tmpdir(), 'ci-part-'));
      await renderSkeleton({
        skeleton: 'skeletons/ci',
        values: { ...values, language, database },
        outDir,
      });
      outDirs.set(`${language}-${database}`, outDir);
    }
  });
  afterAll(() => {
    for (const dir of outDirs.values()) {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  /** The rendered workflow of go-service without a database: its text and parsed form. */
  const rendered = () => {
    const text = readFileSync(
      join(outDirs.get('go-false')!, '.github/workflows/ci.yaml'),
      'utf8',
    );
    return { text, ...parse(text) };
  };

  it.each(variants)(
    'renders a workflow that passes for language %s with database %s',
    async (language, database) => {
      const outDir = outDirs.get(`${language}-${database}`)!;
      expect(await checkWorkflows(outDir, defaultActionlint)).toEqual([]);
    },
  );

  it.each(variants)(
    'orders and gates the jobs for language %s with database %s',
    (language, database) => {
      const outDir = outDirs.get(`${language}-${database}`)!;
      const text = readFileSync(
        join(outDir, '.github/workflows/ci.yaml'),
        'utf8',
      );
      const { jobs, env } = parse(text);
      expect(env.IMAGE_REPOSITORY).toBe(values.imageRepository);
      expect(jobs.chart.needs).toBeUndefined();
      expect(jobs.build.needs).toEqual(['test', 'chart']);
      expect(jobs.scan.needs).toBe('build');
      expect(jobs.sonarqube.needs).toBe('test');
      expect(jobs.ci.needs).toEqual([
        'chart',
        'test',
        'build',
        'scan',
        'sonarqube',
      ]);
      expect(jobs.ci.if).toBe('always()');
      expect(jobs.push.needs).toEqual(['ci']);
      expect(jobs.release.needs).toBe('push');
      expect(jobs['verify-staging'].needs).toBe('release');
      const mainOnly =
        "github.event_name == 'push' && github.ref == 'refs/heads/main'";
      expect(jobs.push.if).toBe(mainOnly);
      expect(jobs.release.if).toBe(mainOnly);
      expect(jobs.scan.permissions['security-events']).toBe('write');
      // GITHUB_TOKEN only reads: the release app writes the release commit.
      expect(jobs.release.permissions).toEqual({ contents: 'read' });
      expect(jobs['verify-staging'].permissions).toEqual({
        contents: 'read',
        statuses: 'write',
      });
      expect(text).not.toMatch(/:latest\b/);
      expect(Boolean(jobs.test.services?.postgres)).toBe(database);
      expect(text.includes('DATABASE_URL: postgres://')).toBe(database);
      const testCommands = jobs.test.steps
        .map((step: { run?: string }) => step.run ?? '')
        .join('\n');
      expect(testCommands).toContain(
        language === 'go'
          ? 'go test -race -covermode=atomic -coverprofile=coverage.out ./...'
          : 'npm run test:coverage',
      );
    },
  );

  describe('facts of the rendered workflow', () => {
    const runs = (job: { steps: Array<{ run?: string }> }) =>
      job.steps.map(step => step.run ?? '').join('\n');

    it('never cancels or drops a run of main; pull requests cancel their older runs', () => {
      const { concurrency, jobs } = rendered();
      // Per SHA on main: a shared group would drop every pending run but the newest.
      expect(concurrency.group).toContain(
        "github.event_name == 'pull_request' && github.ref || github.sha",
      );
      expect(concurrency['cancel-in-progress']).toBe(
        "${{ github.event_name == 'pull_request' }}",
      );
      expect(jobs.release.concurrency).toEqual({
        group: 'release-staging',
        'cancel-in-progress': false,
      });
    });

    it('lints and renders the chart for every environment before anything is built', () => {
      const { jobs } = rendered();
      const script = runs(jobs.chart);
      expect(script).toContain('for values in chart/values-*.yaml');
      expect(script).toContain(
        'helm lint --strict chart --values "$values" --kube-version "$KUBE_VERSION"',
      );
      expect(script).toMatch(/helm template "\$RELEASE_NAME" chart --values/);
      expect(script).toContain('kubeconform" -strict -summary');
      expect(script).toContain('datreeio/CRDs-catalog');
      // The version the chart checks render for is the one this harness renders for.
      expect(rendered().env.KUBE_VERSION).toBe(KUBE_VERSION);
      // A kubeconform release verified to install from the Go module proxy.
      expect(script).toContain(
        'go install github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0',
      );
      expect(jobs.build.needs).toContain('chart');
    });

    it('signs the pushed image and attests the SBOM of the scanned bytes', () => {
      const { jobs } = rendered();
      const sbom = jobs.scan.steps.find(
        (step: { name?: string }) => step.name === 'SBOM (CycloneDX)',
      );
      expect(sbom.with).toMatchObject({
        'scan-type': 'image',
        input: '${{ runner.temp }}/image.tar',
        format: 'cyclonedx',
      });
      const names = jobs.push.steps.map((step: { name?: string }) => step.name);
      const pushAt = names.indexOf(
        'Push (tagged with the commit SHA, never latest)',
      );
      const signAt = names.indexOf('Sign the image and attest its SBOM');
      expect(pushAt).toBeGreaterThanOrEqual(0);
      expect(signAt).toBeGreaterThan(pushAt);
      const sign = jobs.push.steps[signAt].run;
      expect(sign).toContain('sign --yes "$IMAGE_REPOSITORY@$DIGEST"');
      expect(sign).toContain('attest --yes --type cyclonedx');
      expect(sign).toMatch(
        /go install github\.com\/sigstore\/cosign\/v\d+\/cmd\/cosign@v\d+\.\d+\.\d+/,
      );
      // Keyless: the workflow's OIDC identity, no key material in secrets.
      expect(jobs.push.permissions['id-token']).toBe('write');
      expect(rendered().text).not.toMatch(/COSIGN_(PRIVATE_KEY|PASSWORD)/);
      // The release writes the digest the push job reports.
      expect(
        jobs.release.steps.find((s: { id?: string }) => s.id === 'release').env
          .DIGEST,
      ).toBe('${{ needs.push.outputs.digest }}');
    });

    it('verifies staging and records the status the promotion gate reads', () => {
      const { jobs } = rendered();
      const script = runs(jobs['verify-staging']);
      const contexts = [...script.matchAll(/-f context=(\S+)/g)].map(m => m[1]);
      expect(contexts.length).toBe(2);
      expect(new Set(contexts)).toEqual(
        new Set([STAGING_VERIFICATION_CONTEXT]),
      );
      expect(script).toContain('bash scripts/smoke-test.sh "$STAGING_URL"');
      expect(script).toContain('/api/v1/applications/$STAGING_APPLICATION');
      const last = jobs['verify-staging'].steps.at(-1);
      expect(last.if).toBe('always()');
      // The release commit carries no CI of its own ([skip ci]): the release job
      // records this run's result on it, for the gate's check-run reading.
      expect(runs(jobs.release)).toContain('[skip ci]');
      expect(runs(jobs.release)).toContain('check-runs');
    });
  });

  it.each(variants)(
    "the docs' set-up table names every variable and secret the workflow reads (%s, database %s)",
    async (language, database) => {
      const text = readFileSync(
        join(
          outDirs.get(`${language}-${database}`)!,
          '.github/workflows/ci.yaml',
        ),
        'utf8',
      );
      const read = new Set(
        [...text.matchAll(/\b(vars|secrets)\.([A-Z0-9_]+)/g)].map(
          m => `| \`${m[2]}\` | ${m[1] === 'vars' ? 'variable' : 'secret'}`,
        ),
      );
      const docsDir = mkdtempSync(join(tmpdir(), 'ci-docs-'));
      try {
        await renderSkeleton({
          skeleton: 'skeletons/catalog',
          values: { ...values, language, database },
          outDir: docsDir,
        });
        const docs = readFileSync(join(docsDir, 'docs/index.md'), 'utf8');
        const rows = docs
          .split('\n')
          .filter(line => /^\| `[A-Z0-9_]+` \| (variable|secret)/.test(line));
        expect([...read].sort()).toEqual(
          [...read]
            .filter(name => rows.some(row => row.startsWith(name)))
            .sort(),
        );
        expect(read).toContain('| `RELEASE_APP_CLIENT_ID` | variable');
        expect(read).toContain('| `RELEASE_APP_PRIVATE_KEY` | secret');
        // …and names no setting the workflow does not read.
        expect(rows.length).toBe(read.size);
      } finally {
        rmSync(docsDir, { recursive: true, force: true });
      }
    },
  );

  describe("main's protection", () => {
    const templates: [string, Record<string, unknown>][] = [
      ['go-service', serviceParameters()],
      ['ts-service', serviceParameters()],
      ['web-frontend', webParameters()],
    ];

    it.each(templates)(
      '%s protects main with the ci job as its check, and lets only the release app push',
      (template, parameters) => {
        const { jobs, env } = rendered();
        const publish = renderStep(template, 'publish', { parameters });
        const { releaseApp } = (
          renderStep(template, 'fetch-ci', { parameters }).input as {
            values: { releaseApp: string };
          }
        ).values;
        expect(publish.action).toBe('publish:github');
        expect(publish.input).toMatchObject({
          defaultBranch: 'main',
          protectDefaultBranch: true,
          // The check's name is the job's name.
          requiredStatusCheckContexts: [jobs.ci.name],
          requireBranchesToBeUpToDate: false,
          bypassPullRequestAllowances: { apps: [releaseApp] },
        });
        expect(publish.input.protectEnforceAdmins).not.toBe(false);
        // The workflow checks its token belongs to that app (the harness renders with it).
        expect(releaseApp).toBe(values.releaseApp);
        expect(env.RELEASE_APP).toBe(releaseApp);
        const check = jobs.release.steps.find(
          (step: { name?: string }) =>
            step.name === 'Check that it is the app main lets in',
        );
        expect(check.env.SLUG).toBe('${{ steps.app.outputs.app-slug }}');
        expect(check.run).toContain('if [ "$SLUG" != "$RELEASE_APP" ]');
      },
    );

    it('the ci check fails when any check before it failed, was cancelled or did not run', () => {
      const { jobs } = rendered();
      const [step] = jobs.ci.steps;
      expect(step.env.RESULTS).toBe('${{ toJSON(needs) }}');
      const ci = (results: Record<string, string>) =>
        spawnSync('bash', ['-e', '-c', step.run], {
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            RESULTS: JSON.stringify(
              Object.fromEntries(
                jobs.ci.needs.map((job: string) => [
                  job,
                  { result: results[job] ?? 'success', outputs: {} },
                ]),
              ),
            ),
          },
        });
      expect(ci({}).status).toBe(0);
      const failed = ci({ scan: 'failure', sonarqube: 'skipped' });
      expect(failed.status).toBe(1);
      expect(failed.stdout).toBe(
        '::error title=CI failed::scan (failure), sonarqube (skipped)\n',
      );
      expect(ci({ build: 'cancelled' }).stdout).toContain('build (cancelled)');
    });

    it('fails the release clearly when the release app is not configured', () => {
      const { jobs } = rendered();
      const [settings] = jobs.release.steps;
      expect(settings.env).toEqual({
        CLIENT_ID: '${{ vars.RELEASE_APP_CLIENT_ID }}',
        PRIVATE_KEY: '${{ secrets.RELEASE_APP_PRIVATE_KEY }}',
      });
      const run = (env: Record<string, string>) =>
        spawnSync('bash', ['-e', '-c', settings.run], {
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            RELEASE_APP: 'runway-release',
            ...env,
          },
        });
      const none = run({});
      expect(none.status).toBe(1);
      expect(none.stdout).toBe(
        "::error title=The release app is not configured::main is protected, and only the GitHub App runway-release may push the release commit to it. Set the RELEASE_APP_CLIENT_ID variable, the RELEASE_APP_PRIVATE_KEY secret of this repository or organization (see the README's CI/CD set-up).\n",
      );
      expect(run({ CLIENT_ID: 'Iv23abc' }).stdout).toContain(
        'Set the RELEASE_APP_PRIVATE_KEY secret of this repository',
      );
      expect(run({ CLIENT_ID: 'Iv23abc', PRIVATE_KEY: 'k' }).status).toBe(0);
      // The token step comes after the check, and the checkout pushes with its token.
      const token = jobs.release.steps[1];
      expect(token.uses).toMatch(
        /^actions\/create-github-app-token@[0-9a-f]{40}$/,
      );
      expect(token.with).toMatchObject({
        'permission-contents': 'write',
        'permission-checks': 'write',
      });
      const checkout = jobs.release.steps.find((step: { uses?: string }) =>
        step.uses?.startsWith('actions/checkout@'),
      );
      expect(checkout.with.token).toBe('${{ steps.app.outputs.token }}');
    });
  });

  describe('the release step', () => {
    const yq = join(
      resolvePackagePath('@runway/template-harness', '../../.cache/tools'),
      'yq',
    );
    let work: string;
    let script: string;
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
    const DIGEST = `sha256:${'a'.repeat(64)}`;

    beforeEach(() => {
      const { jobs } = rendered();
      script = jobs.release.steps.find(
        (step: { id?: string }) => step.id === 'release',
      ).run;
      work = mkdtempSync(join(tmpdir(), 'release-'));
      git(
        work,
        'init',
        '--quiet',
        '--bare',
        '--initial-branch=main',
        'origin.git',
      );
      git(work, 'clone', '--quiet', 'origin.git', 'repo');
      const repo = join(work, 'repo');
      mkdirSync(join(repo, 'chart'));
      writeFileSync(
        join(repo, 'chart/values.yaml'),
        '# defaults\nimage:\n  repository: r\n  # the release\n  tag: "unreleased"\n  digest: ""\n',
      );
      git(repo, 'add', '.');
      commit(repo, 'first');
      commit(repo, 'second');
      git(repo, 'push', '--quiet', 'origin', 'HEAD:main');
      // GitHub's side, as far as the release step meets it: `gh api` records the check runs
      // it is asked to create (and runs a test's "meanwhile" once), and the origin refuses
      // to move main to a commit without a successful "ci" check run, as the branch
      // protection with the required check "ci" does for the app that may push.
      mkdirSync(join(work, 'bin'));
      writeFileSync(
        join(work, 'bin/gh'),
        [
          '#!/bin/bash',
          `echo "$*" >> ${work}/gh-calls`,
          'if [[ " $* " == *" name=ci "* && " $* " == *" conclusion=success "* ]]; then',
          '  for arg in "$@"; do [[ $arg == head_sha=* ]] && echo "${arg#head_sha=}" >> ' +
            `${work}/ci-passed; done`,
          'fi',
          `if [ -f ${work}/meanwhile ]; then bash ${work}/meanwhile; rm ${work}/meanwhile; fi`,
          '',
        ].join('\n'),
        { mode: 0o755 },
      );
      writeFileSync(
        join(work, 'origin.git/hooks/pre-receive'),
        [
          '#!/bin/bash',
          'while read -r old new ref; do',
          '  if [ "$ref" = refs/heads/main ] && [ -z "$ALLOW_UNCHECKED" ] &&',
          `     ! grep -qx "$new" ${work}/ci-passed 2>/dev/null; then`,
          '    echo "protected branch: required status check ci has not passed on $new" >&2',
          '    exit 1',
          '  fi',
          'done',
          '',
        ].join('\n'),
        { mode: 0o755 },
      );
    });
    afterEach(() => rmSync(work, { recursive: true, force: true }));

    function commit(repo: string, message: string): string {
      git(
        repo,
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@example.com',
        'commit',
        '--quiet',
        '--allow-empty',
        '-m',
        message,
      );
      return git(repo, 'rev-parse', 'HEAD');
    }

    /** Runs the step as the release job does: a fresh checkout of main, this run's SHA. */
    function release(sha: string) {
      const checkout = join(work, `checkout-${Math.random()}`);
      git(work, 'clone', '--quiet', 'origin.git', checkout);
      const output = join(work, 'github-output');
      writeFileSync(output, '');
      const result = spawnSync('bash', ['-e', '-c', script], {
        cwd: checkout,
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: `${join(work, 'bin')}:${dirname(yq)}:${process.env.PATH}`,
          GITHUB_SHA: sha,
          GITHUB_REPOSITORY: 'example-org/orders-api',
          GITHUB_RUN_ID: '4242',
          GITHUB_RUN_ATTEMPT: '1',
          RUN_URL:
            'https://github.com/example-org/orders-api/actions/runs/4242',
          RELEASE_APP: 'runway-release',
          GITHUB_OUTPUT: output,
          DIGEST,
          IMAGE_REPOSITORY: 'r',
          GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
        },
      });
      const origin = join(work, 'origin.git');
      return {
        branches: git(origin, 'for-each-ref', '--format=%(refname)'),
        ghCalls: existsSync(join(work, 'gh-calls'))
          ? readFileSync(join(work, 'gh-calls'), 'utf8')
          : '',
        status: result.status,
        out: result.stdout + result.stderr,
        outputs: readFileSync(output, 'utf8'),
        head: git(origin, 'rev-parse', 'main'),
        values: execFileSync('git', ['show', 'main:chart/values.yaml'], {
          cwd: origin,
          encoding: 'utf8',
        }),
      };
    }

    it('writes the tag and digest into chart/values.yaml and pushes one release commit', () => {
      const repo = join(work, 'repo');
      const sha = git(repo, 'rev-parse', 'HEAD');
      const r = release(sha);
      expect(r.status).toBe(0);
      expect(parse(r.values).image).toEqual({
        repository: 'r',
        tag: sha,
        digest: DIGEST,
      });
      expect(r.values).toContain('# the release'); // comments stay
      expect(r.outputs).toBe(`commit=${r.head}\n`);
      const origin = join(work, 'origin.git');
      expect(git(origin, 'log', '-1', '--format=%s', 'main')).toBe(
        `release: ${sha.slice(0, 12)} to staging [skip ci]`,
      );
      expect(git(origin, 'rev-parse', 'main~1')).toBe(sha);
      expect(git(origin, 'log', '-1', '--format=%an', 'main')).toBe(
        'runway-release[bot]',
      );
      // main moved only after the release commit carried a passing "ci" (the origin's
      // hook would have refused it), linking this run; the release branch is gone.
      expect(r.ghCalls).toBe(
        `api --method POST repos/example-org/orders-api/check-runs -f name=ci -f head_sha=${
          r.head
        } -f status=completed -f conclusion=success -f details_url=https://github.com/example-org/orders-api/actions/runs/4242 -f output[title]=CI passed on ${sha.slice(
          0,
          12,
        )} -f output[summary]=This commit only records the image built from ${sha}; that commit passed CI in https://github.com/example-org/orders-api/actions/runs/4242.\n`,
      );
      expect(r.branches).toBe('refs/heads/main');
      // A re-run changes nothing and reports the commit that already releases it.
      const again = release(sha);
      expect(again.status).toBe(0);
      expect(again.head).toBe(r.head);
      expect(again.outputs).toBe(`commit=${r.head}\n`);
      expect(again.ghCalls).toBe(r.ghCalls);
    });

    it('main refuses a commit without the ci check (the protection the release meets)', () => {
      const repo = join(work, 'repo');
      commit(repo, 'unchecked');
      const pushed = spawnSync('git', ['push', 'origin', 'HEAD:main'], {
        cwd: repo,
        encoding: 'utf8',
      });
      expect(pushed.status).not.toBe(0);
      expect(pushed.stderr).toContain(
        'required status check ci has not passed',
      );
    });

    it('when main moves meanwhile, rebases, records ci on the new commit and pushes that', () => {
      const repo = join(work, 'repo');
      const sha = git(repo, 'rev-parse', 'HEAD');
      // A pull request merges while the release records its check.
      const other = join(work, 'other');
      git(work, 'clone', '--quiet', 'origin.git', other);
      writeFileSync(join(other, 'README.md'), 'merged meanwhile\n');
      git(other, 'add', 'README.md');
      const merged = commit(other, 'a merged pull request');
      writeFileSync(
        join(work, 'meanwhile'),
        `ALLOW_UNCHECKED=1 git -C ${other} push --quiet origin HEAD:main\n`,
      );
      const r = release(sha);
      expect(r.status).toBe(0);
      expect(r.out).toContain(
        'push attempt 1 failed; rebasing onto origin/main',
      );
      const origin = join(work, 'origin.git');
      expect(git(origin, 'rev-parse', 'main~1')).toBe(merged);
      expect(r.outputs).toBe(`commit=${r.head}\n`);
      expect(parse(r.values).image.tag).toBe(sha);
      // One check run on the first release commit (never on main), one on the rebased one.
      const checked = [...r.ghCalls.matchAll(/head_sha=(\w+)/g)].map(m => m[1]);
      expect(checked).toHaveLength(2);
      expect(checked[1]).toBe(r.head);
      expect(checked[0]).not.toBe(r.head);
      expect(r.branches).toBe('refs/heads/main');
    });

    it('never moves staging back to an older commit (a re-run, or a run that lost the race)', () => {
      const repo = join(work, 'repo');
      const older = git(repo, 'rev-parse', 'HEAD~1');
      const newer = git(repo, 'rev-parse', 'HEAD');
      const released = release(newer).head;
      const r = release(older);
      expect(r.status).toBe(0);
      expect(r.out).toContain('title=Superseded');
      expect(r.head).toBe(released);
      expect(r.outputs).toBe('');
      expect(parse(r.values).image.tag).toBe(newer);
    });

    it('refuses a commit that does not contain the released one', () => {
      const repo = join(work, 'repo');
      const released = release(git(repo, 'rev-parse', 'HEAD')).head;
      git(repo, 'checkout', '--quiet', '-b', 'side', 'HEAD~1');
      const side = commit(repo, 'side');
      git(repo, 'push', '--quiet', 'origin', 'side');
      const r = release(side);
      expect(r.status).toBe(1);
      expect(r.out).toContain('title=Not a descendant');
      expect(r.head).toBe(released);
    });
  });

  describe('scripts/smoke-test.sh', () => {
    let server: Server;
    let base: string;
    const answers = new Map<string, number>();

    beforeAll(async () => {
      server = createServer((req, res) => {
        res.statusCode = answers.get(req.url ?? '') ?? 404;
        res.end();
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(() => new Promise(resolve => server.close(resolve)));

    // Asynchronous: the server answers from this process's event loop.
    const smoke = (language: string) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>(
        resolve => {
          const child = spawn(
            'bash',
            [
              join(outDirs.get(`${language}-false`)!, 'scripts/smoke-test.sh'),
              base,
            ],
            { env: { ...process.env, SMOKE_RETRY_SECONDS: '0' } },
          );
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', chunk => (stdout += chunk));
          child.stderr.on('data', chunk => (stderr += chunk));
          child.on('close', status => resolve({ status, stdout, stderr }));
        },
      );

    it('passes when the service is live and ready', async () => {
      answers.set('/healthz', 200).set('/readyz', 200);
      const r = await smoke('go');
      expect(r.stdout).toContain('ok   GET /readyz -> 200');
      expect(r.status).toBe(0);
    });

    it('fails, naming the request, when the service is not ready', async () => {
      answers.set('/healthz', 200).set('/readyz', 503);
      const r = await smoke('typescript');
      expect(r.stderr).toContain('FAIL GET /readyz -> 503 (expected 200)');
      expect(r.status).toBe(1);
    });
  });
});
