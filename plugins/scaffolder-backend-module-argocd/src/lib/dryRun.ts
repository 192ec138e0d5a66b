import type { LoggerService } from '@backstage/backend-plugin-api';
import { ArgoCdInstance, ArgoCdInstances } from '@runway/plugin-argocd-node';

/**
 * Where a dry run without a configured Argo CD instance says the Applications would be:
 * `.invalid` is reserved (RFC 2606), so nobody mistakes it for a real server.
 */
export const UNCONFIGURED_ARGOCD_URL = 'https://argocd.invalid';

/**
 * The instance an action works with: the named (or first) configured one. In a dry run with
 * no instance configured at all (the portal's development default), a stand-in at
 * {@link UNCONFIGURED_ARGOCD_URL}, with a warning, so that the Template Editor can show what
 * a template would do; a name that is not configured stays an error.
 */
export function instanceFor(
  instances: ArgoCdInstances,
  name: string | undefined,
  dryRun: boolean,
  logger: LoggerService,
): ArgoCdInstance {
  if (dryRun && instances.list().length === 0) {
    logger.warn(
      'No Argo CD instance is configured (argocd.instances in app-config): a real run would fail; this dry run shows what it would do',
    );
    return {
      name: name ?? 'default',
      url: UNCONFIGURED_ARGOCD_URL,
      timeoutMs: 0,
      maxAttempts: 0,
      hasToken: false,
    };
  }
  return instances.get(name);
}
