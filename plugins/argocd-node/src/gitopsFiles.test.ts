import { parse } from 'yaml';
import { GitOpsConfig } from './config';
import {
  gitOpsBranchName,
  gitOpsFiles,
  MANAGED_BY_HEADER,
} from './gitopsFiles';
import { buildApplications, buildAppProject } from './__testUtils__/build';

const gitops: GitOpsConfig = {
  repository: { host: 'github.com', owner: 'example-org', repo: 'gitops' },
  baseBranch: 'main',
  pathPattern: 'apps/{environment}/{appName}.yaml',
  projectPathPattern: 'projects/{project}.yaml',
  applicationNamespace: 'argocd',
};

const input = {
  appName: 'orders-api',
  project: 'orders',
  repoUrl: 'https://github.com/example-org/orders-api.git',
  applicationNamespace: 'argocd',
};
const manifests = buildApplications(input);
const applications = ['staging', 'production'].map((environment, i) => ({
  environment,
  manifest: manifests[i],
}));

describe('gitOpsFiles', () => {
  it('puts each Application at its path as YAML with the managed-by header', () => {
    const files = gitOpsFiles({
      gitops,
      instance: 'main',
      appName: 'orders-api',
      applications,
    });
    expect(files.map(f => f.path)).toEqual([
      'apps/staging/orders-api.yaml',
      'apps/production/orders-api.yaml',
    ]);
    expect(files[0].content.startsWith(`# ${MANAGED_BY_HEADER}\n`)).toBe(true);
    expect(parse(files[0].content)).toEqual(manifests[0]);
    expect(parse(files[1].content)).toEqual(manifests[1]);
  });

  it('adds the AppProject when one is to be created', () => {
    const project = buildAppProject(input);
    const files = gitOpsFiles({
      gitops,
      instance: 'main',
      appName: 'orders-api',
      applications,
      project,
    });
    expect(files.map(f => f.path)).toEqual([
      'apps/staging/orders-api.yaml',
      'apps/production/orders-api.yaml',
      'projects/orders.yaml',
    ]);
    expect(parse(files[2].content)).toEqual(project);
  });

  it('is deterministic, so that a re-run commits nothing new', () => {
    const once = gitOpsFiles({
      gitops,
      instance: 'main',
      appName: 'orders-api',
      applications,
    });
    const twice = gitOpsFiles({
      gitops,
      instance: 'main',
      appName: 'orders-api',
      applications: buildApplications(input).map((manifest, i) => ({
        environment: applications[i].environment,
        manifest,
      })),
    });
    expect(twice).toEqual(once);
  });

  it('refuses two objects in one file', () => {
    expect(() =>
      gitOpsFiles({
        gitops: {
          ...gitops,
          projectPathPattern: 'apps/staging/{appName}.yaml',
        },
        instance: 'main',
        appName: 'orders-api',
        applications,
        project: buildAppProject(input),
      }),
    ).toThrow(
      "argocd.gitops path patterns put two objects in 'apps/staging/orders-api.yaml'; make pathPattern use {environment} or {applicationName} and keep projectPathPattern apart",
    );
  });
});

describe('gitOpsBranchName', () => {
  it('is one branch per app', () => {
    expect(gitOpsBranchName('orders-api')).toBe('runway/argocd-orders-api');
  });
});
