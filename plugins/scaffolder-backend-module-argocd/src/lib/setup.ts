import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ArgoCdSetup, GitOpsConfig } from '@runway/plugin-argocd-node';
import { z } from 'zod/v3';

/** The `instance` input field both actions take. */
export const instanceField = z
  .string()
  .min(1, 'must not be empty')
  .optional()
  .describe(
    'Name of the Argo CD instance in argocd.instances of app-config. Default: the first configured instance.',
  );

/**
 * The GitOps configuration a run in `mode` uses: undefined in api mode. gitops mode without
 * argocd.gitops fails before anything is called (a dry run warns and goes on).
 */
export function gitOpsFor(
  setup: ArgoCdSetup,
  mode: 'api' | 'gitops',
  dryRun: boolean,
  logger: LoggerService,
): GitOpsConfig | undefined {
  if (mode !== 'gitops') return undefined;
  if (!setup.gitops) {
    const missing =
      "mode 'gitops' needs argocd.gitops in app-config (repoUrl, and optionally baseBranch, pathPattern)";
    if (!dryRun) throw new InputError(missing);
    logger.warn(`${missing}: a real run would fail`);
  }
  return setup.gitops;
}
