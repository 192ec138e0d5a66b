import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { parse } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSkeleton } from '../render';
import {
  checkWorkflows,
  checkWorkflowText,
  defaultActionlint,
  TERRAFORM_OIDC,
} from './workflow';
import { partValues } from '../__testUtils__/values';

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
      expect(jobs.build.needs).toBe('test');
      expect(jobs.scan.needs).toBe('build');
      expect(jobs.sonarqube.needs).toBe('test');
      expect(jobs.push.needs).toEqual(['scan', 'sonarqube']);
      expect(jobs['deploy-staging'].needs).toBe('push');
      const mainOnly =
        "github.event_name == 'push' && github.ref == 'refs/heads/main'";
      expect(jobs.push.if).toBe(mainOnly);
      expect(jobs['deploy-staging'].if).toBe(mainOnly);
      expect(jobs.scan.permissions['security-events']).toBe('write');
      expect(jobs['deploy-staging'].permissions).toEqual({
        contents: 'write',
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
});
