import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { resolve } from 'node:path';

/** The root of this monorepo. */
export const repoRoot = resolve(
  resolvePackagePath('@runway/deploy-harness'),
  '../..',
);
/** Runway's own deployment: the image, the chart, the Argo CD Application. */
export const deployDir = resolve(repoRoot, 'deploy');
export const dockerfilePath = resolve(deployDir, 'Dockerfile');
export const chartDir = resolve(deployDir, 'chart');
export const productionValuesFile = resolve(chartDir, 'values-production.yaml');
/** The generated CloudNativePG objects of the chart. */
export const databaseTemplateFile = resolve(
  chartDir,
  'templates/database.yaml',
);
/** The generated Argo CD Application of the portal. */
export const applicationFile = resolve(
  deployDir,
  'argocd/runway-production.yaml',
);
export const productionConfigFile = resolve(
  repoRoot,
  'app-config.production.yaml',
);
