import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkReadme, makeTargets, shellLines } from './readme';

describe('shellLines and makeTargets', () => {
  it('reads the commands of shell blocks, not of other blocks or comments', () => {
    const markdown = [
      'Run `make nothing` here.',
      '```sh',
      '# a comment',
      'make plan',
      '```',
      '```yaml',
      'make: no',
      '```',
      '   ```bash',
      '   tofu -chdir=terraform output',
      '   ```',
    ].join('\n');
    expect(shellLines(markdown)).toEqual([
      'make plan',
      'tofu -chdir=terraform output',
    ]);
  });

  it('reads the targets of a Makefile, not its variables', () => {
    expect(
      makeTargets('TOFU ?= tofu\nX := 1\nplan: init ## Plan\n\tdo\ninit:\n'),
    ).toEqual(['plan', 'init']);
  });
});

describe('checkReadme', () => {
  const repo = mkdtempSync(join(tmpdir(), 'runway-readme-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  mkdirSync(join(repo, 'terraform/environment'), { recursive: true });
  writeFileSync(join(repo, 'terraform/environment/main.tf'), '');
  writeFileSync(join(repo, 'Makefile'), 'plan:\n\ttrue\n');

  const readme = (body: string) => {
    writeFileSync(join(repo, 'README.md'), body);
    return checkReadme(repo);
  };

  it('accepts commands and paths that exist', () => {
    expect(
      readme(
        'See `terraform/environment/main.tf`.\n```sh\nmake plan\ntofu -chdir=terraform/environment init\n```\n',
      ),
    ).toEqual([]);
  });

  it('reports a missing target, folder, file and path', () => {
    expect(
      readme(
        'Edit `terraform/environment/terraform.tfvars`.\n```sh\nmake apply\ntofu -chdir=terraform/env plan\nkubectl apply -f manifests/x.yaml\n```\n',
      ),
    ).toEqual([
      'README.md: "make apply" runs a target the Makefile lacks',
      'README.md: "tofu -chdir=terraform/env plan" names the folder terraform/env, which does not exist',
      'README.md: "kubectl apply -f manifests/x.yaml" applies manifests/x.yaml, which does not exist',
      'README.md: names terraform/environment/terraform.tfvars, which does not exist',
    ]);
  });
});
