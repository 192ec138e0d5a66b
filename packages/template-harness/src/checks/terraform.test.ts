import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkModuleCalls,
  checkNoHardCodedSecrets,
  checkProviderPins,
  ModuleFacts,
  ModuleInterface,
  moduleInterfaces,
  readModuleFacts,
  satisfiesConstraint,
  tofuFmtProblems,
} from './terraform';

/** Facts of a module folder "env" with nothing in it; tests add what they need. */
function facts(overrides: Partial<ModuleFacts> = {}): ModuleFacts {
  return {
    dir: 'env',
    files: ['main.tf'],
    terraform: {
      requiredVersion: '>= 1.10.0',
      requiredProviders: {
        aws: { source: 'hashicorp/aws', version: '6.57.0' },
      },
      backend: null,
    },
    variables: [],
    modules: [],
    blocks: [
      {
        kind: 'provider',
        labels: ['aws'],
        arguments: ['allowed_account_ids', 'region'],
        literals: {},
        file: 'main.tf',
        line: 1,
      },
    ],
    literals: [],
    references: [],
    diagnostics: [],
    ...overrides,
  };
}

const vpc: ModuleInterface = {
  source: 'terraform-aws-modules/vpc/aws',
  version: '6.6.0',
  repository: 'https://github.com/terraform-aws-modules/terraform-aws-vpc',
  tag: 'v6.6.0',
  commit: '82d1929e669efef4e2ad00611b8a68e7a56e049c',
  path: '.',
  requiredProviders: { aws: { source: 'hashicorp/aws', version: '>= 6.28' } },
  requiredVersion: '>= 1.0',
  variables: ['name', 'cidr', 'azs'],
  outputs: ['vpc_id', 'private_subnets'],
};

const call = (overrides: Partial<ModuleFacts['modules'][number]> = {}) => ({
  name: 'vpc',
  source: vpc.source,
  version: vpc.version,
  arguments: ['azs', 'cidr', 'name'],
  file: 'vpc.tf',
  line: 3,
  ...overrides,
});

describe('satisfiesConstraint', () => {
  it.each([
    ['6.57.0', '>= 6.28', true],
    ['6.27.9', '>= 6.28', false],
    ['6.57.0', '>= 6.28, < 7.0', true],
    ['7.0.0', '>= 6.28, < 7.0', false],
    ['6.57.0', '~> 6.28', true],
    ['7.0.0', '~> 6.28', false],
    ['6.28.5', '~> 6.28.1', true],
    ['6.29.0', '~> 6.28.1', false],
    ['3.1.2', '= 3.1.2', true],
    ['3.1.2', '3.1.1', false],
    ['3.1.2', '!= 3.1.2', false],
    ['0.14.2', '> 0.9', true],
    ['4.2.1', '<= 4.0', false],
  ])('%s meets "%s": %s', (version, constraint, expected) => {
    expect(satisfiesConstraint(version, constraint)).toBe(expected);
  });

  it('refuses what is not a constraint', () => {
    expect(() => satisfiesConstraint('1.0.0', '>= banana')).toThrow(
      'not a version constraint: ">= banana"',
    );
  });
});

describe('checkModuleCalls', () => {
  it('accepts variables and outputs of the pinned version', () => {
    const f = facts({
      modules: [call()],
      references: [
        { module: 'vpc', output: 'vpc_id', file: 'eks.tf', line: 9 },
      ],
    });
    expect(checkModuleCalls(f, [vpc])).toEqual([]);
  });

  it.each([
    [
      'an argument the version lacks',
      { modules: [call({ arguments: ['name', 'cidr_block'] })] },
      'env/vpc.tf:3: module "vpc": terraform-aws-modules/vpc/aws 6.6.0 has no variable "cidr_block"',
    ],
    [
      'a version range',
      { modules: [call({ version: '~> 6.6' })] },
      'env/vpc.tf:3: module "vpc": terraform-aws-modules/vpc/aws must be pinned to an exact version, found "~> 6.6"',
    ],
    [
      'a version without a recorded interface',
      { modules: [call({ version: '6.7.0' })] },
      'env/vpc.tf:3: module "vpc": no recorded interface of terraform-aws-modules/vpc/aws 6.7.0 (recorded: 6.6.0); extract its variables and outputs at that tag into src/testdata/terraform-modules.json',
    ],
    [
      'an output the version lacks',
      {
        modules: [call()],
        references: [
          { module: 'vpc', output: 'vpc_arn', file: 'eks.tf', line: 9 },
        ],
      },
      'env/eks.tf:9: module.vpc.vpc_arn: terraform-aws-modules/vpc/aws 6.6.0 has no output "vpc_arn"',
    ],
    [
      'a module that is not called',
      {
        references: [
          { module: 'network', output: 'vpc_id', file: 'eks.tf', line: 2 },
        ],
      },
      'env/eks.tf:2: module.network.vpc_id reads a module that is not called',
    ],
  ])('reports %s', (_case, overrides, problem) => {
    expect(checkModuleCalls(facts(overrides), [vpc])).toEqual([problem]);
  });

  it('leaves local modules alone', () => {
    const f = facts({
      modules: [
        call({ source: './modules/role', version: null, arguments: ['x'] }),
      ],
    });
    expect(checkModuleCalls(f, [vpc])).toEqual([]);
  });
});

describe('checkProviderPins', () => {
  it('accepts exact pins that meet every module constraint', () => {
    expect(checkProviderPins(facts({ modules: [call()] }), [vpc])).toEqual([]);
  });

  it.each([
    [
      'a range',
      { aws: { source: 'hashicorp/aws', version: '>= 6.0' } },
      ['env: provider aws must be pinned to an exact version, found ">= 6.0"'],
    ],
    [
      'a version below a module constraint',
      { aws: { source: 'hashicorp/aws', version: '6.20.0' } },
      [
        'env: provider aws 6.20.0 does not satisfy ">= 6.28" of module "vpc" (terraform-aws-modules/vpc/aws 6.6.0)',
      ],
    ],
    [
      'a provider a module needs and the root does not pin',
      {},
      [
        'env: module "vpc" (terraform-aws-modules/vpc/aws 6.6.0) needs provider aws (>= 6.28), which required_providers does not pin',
      ],
    ],
  ])('reports %s', (_case, requiredProviders, problems) => {
    const f = facts({ modules: [call()] });
    f.terraform.requiredProviders = requiredProviders;
    expect(checkProviderPins(f, [vpc])).toEqual(problems);
  });

  it('reports a missing required_version', () => {
    const f = facts();
    f.terraform.requiredVersion = null;
    expect(checkProviderPins(f, [])).toEqual([
      'env: terraform.required_version is not set',
    ]);
  });
});

describe('checkNoHardCodedSecrets', () => {
  const literal = (value: string) => ({ value, file: 'main.tf', line: 7 });

  it.each([
    ['an access key id', 'AKIAIOSFODNN7EXAMPLE', 'an AWS access key id'],
    [
      'a secret access key',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'what looks like an AWS secret access key',
    ],
    [
      'an account id in an ARN',
      'arn:aws:iam::123456789012:role/x',
      'an AWS account id',
    ],
  ])('reports %s', (_case, value, what) => {
    expect(
      checkNoHardCodedSecrets(facts({ literals: [literal(value)] })),
    ).toEqual([
      `env/main.tf:7: ${what} is written into the configuration (${JSON.stringify(
        value,
      )}); take it from a variable`,
    ]);
  });

  it('accepts AWS-managed policy ARNs, URLs and descriptions', () => {
    const f = facts({
      literals: [
        literal('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'),
        literal('https://istio-release.storage.googleapis.com/charts'),
        literal('Plans the repository on pull requests'),
        literal('900'),
      ],
    });
    expect(checkNoHardCodedSecrets(f)).toEqual([]);
  });

  it('reports credentials in a provider and a provider not bound to the account', () => {
    const f = facts({
      blocks: [
        {
          kind: 'provider',
          labels: ['aws'],
          arguments: ['access_key', 'region'],
          literals: {},
          file: 'providers.tf',
          line: 1,
        },
      ],
    });
    expect(checkNoHardCodedSecrets(f)).toEqual([
      "env/providers.tf:1: provider aws sets access_key; credentials come from the caller's environment",
      'env/providers.tf:1: provider aws does not set allowed_account_ids',
    ]);
  });
});

describe('the recorded module interfaces', () => {
  it('record where each was read: repository, tag and commit', () => {
    for (const m of moduleInterfaces()) {
      expect(m).toMatchObject({
        repository: expect.stringMatching(
          /^https:\/\/github\.com\/terraform-aws-modules\//,
        ),
        tag: `v${m.version}`,
        commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      });
      expect(m.variables.length).toBeGreaterThan(0);
    }
  });
});

describe('hclfacts and tofu fmt on files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runway-hcl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads module calls, references, variables and literals', async () => {
    writeFileSync(
      join(dir, 'main.tf'),
      [
        'variable "cidr" {',
        '  type        = string',
        '  description = "Range"',
        '}',
        '',
        'module "vpc" {',
        '  source  = "terraform-aws-modules/vpc/aws"',
        '  version = "6.6.0"',
        '  cidr    = var.cidr',
        '  name    = "arn:aws:iam::${var.cidr}:root"',
        '}',
        '',
        'output "id" {',
        '  value = module.vpc.vpc_id',
        '}',
        '',
      ].join('\n'),
    );
    const [f] = await readModuleFacts(dir, ['.']);
    expect(f.variables).toEqual([
      expect.objectContaining({
        name: 'cidr',
        type: 'string',
        description: 'Range',
      }),
    ]);
    expect(f.modules).toEqual([
      expect.objectContaining({
        name: 'vpc',
        source: 'terraform-aws-modules/vpc/aws',
        version: '6.6.0',
        arguments: ['cidr', 'name'],
      }),
    ]);
    expect(f.references).toEqual([
      { module: 'vpc', output: 'vpc_id', file: 'main.tf', line: 14 },
    ]);
    expect(f.literals.map(l => l.value)).toEqual(
      expect.arrayContaining(['arn:aws:iam::', ':root']),
    );
  });

  it('lists what tofu fmt would change', async () => {
    writeFileSync(join(dir, 'ugly.tf'), 'locals {\n  a = 1\n  bb    = 2\n}\n');
    const [problem] = await tofuFmtProblems(dir);
    expect(problem).toMatch(
      /tofu fmt -check found unformatted files[\s\S]*ugly\.tf/,
    );
  });
});
