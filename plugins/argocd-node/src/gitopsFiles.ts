import { InputError } from '@backstage/errors';
import type { GitOpsConfig } from './config';
import type { GitOpsFile } from './gitops';
import { manifestToYaml } from './gitops';
import { renderPath } from './paths';
import { Application, AppProject } from './types';

/**
 * The comment heading every manifest Runway commits.
 *
 * @public
 */
export const MANAGED_BY_HEADER =
  'Managed by Runway (scaffolder actions argocd:app:create and argocd:app:promote); Argo CD applies what is merged here.';

/**
 * The branch an app's GitOps pull request comes from: one per app, so a re-run finds it.
 *
 * @public
 */
export function gitOpsBranchName(appName: string): string {
  return `runway/argocd-${appName}`;
}

/**
 * The files for an app's Applications (and AppProject, when one is to be created), at the
 * paths of the GitOps config's patterns. Pure; throws an InputError when two objects would
 * land in the same file.
 *
 * @public
 */
export function gitOpsFiles(options: {
  gitops: GitOpsConfig;
  instance: string;
  appName: string;
  applications: Array<{ environment: string; manifest: Application }>;
  project?: AppProject;
}): GitOpsFile[] {
  const { gitops, instance, appName } = options;
  const files: GitOpsFile[] = options.applications.map(
    ({ environment, manifest }) => ({
      path: renderPath(gitops.pathPattern, {
        appName,
        environment,
        applicationName: manifest.metadata.name,
        instance,
        project: manifest.spec.project,
      }),
      content: manifestToYaml(manifest, MANAGED_BY_HEADER),
    }),
  );
  if (options.project) {
    files.push({
      path: renderPath(gitops.projectPathPattern, {
        appName,
        environment: '',
        applicationName: '',
        instance,
        project: options.project.metadata.name,
      }),
      content: manifestToYaml(options.project, MANAGED_BY_HEADER),
    });
  }
  const seen = new Set<string>();
  for (const { path } of files) {
    if (seen.has(path)) {
      throw new InputError(
        `argocd.gitops path patterns put two objects in '${path}'; make pathPattern use {environment} or {applicationName} and keep projectPathPattern apart`,
      );
    }
    seen.add(path);
  }
  return files;
}
