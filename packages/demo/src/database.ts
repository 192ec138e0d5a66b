import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigClusterAccess } from '@runway/plugin-cluster-access-node';
import { createCnpgDatabaseAction } from '@runway/plugin-scaffolder-backend-module-cnpg';
import { DemoService } from './plan';

/** A logger for the action that keeps its lines (shown only when it fails). */
function collectingLogger(lines: string[]): LoggerService {
  const logger: LoggerService = {
    error: m => void lines.push(`error: ${m}`),
    warn: m => void lines.push(`warn: ${m}`),
    info: m => void lines.push(m),
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

/**
 * The input of `cnpg:database:create` for a demo service, as the service templates write the
 * step: a dedicated cluster in each environment (three instances in production), backups to S3
 * through the Barman Cloud plugin with an IAM role, waiting until the operator reports it ready.
 */
export function databaseInput(service: DemoService) {
  return {
    name: service.name,
    namespace: service.namespace,
    environments: [
      { name: 'staging', cluster: 'staging' },
      { name: 'production', cluster: 'production', instances: 3 },
    ],
    createNamespace: true,
    backup: {
      destinationPath: `s3://example-org-pg-backups/${service.name}`,
      roleArn: `arn:aws:iam::123456789012:role/${service.name}-pg-backup`,
      retentionPolicy: '14d',
    },
    waitForReady: true,
    waitTimeoutSeconds: 120,
  };
}

/**
 * Provisions a service's PostgreSQL in both demo clusters with Runway's own action
 * `cnpg:database:create`, with the portal's configuration and so the portal's identity (bound
 * by the module's deploy/rbac.yaml): the database the demo shows is made the way a template
 * makes it. Idempotent, as the action is.
 */
export async function provisionDatabase(
  service: DemoService,
  portalConfig: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const lines: string[] = [];
  const logger = collectingLogger(lines);
  const action = createCnpgDatabaseAction({
    clusterAccess: ConfigClusterAccess.fromConfig(
      new ConfigReader(portalConfig as JsonObject),
      { logger },
    ),
  });
  const outputs: Record<string, unknown> = {};
  const ctx = {
    input: databaseInput(service),
    logger,
    isDryRun: false,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
    signal: new AbortController().signal,
  };
  try {
    await action.handler(ctx as any);
  } catch (error) {
    throw new Error(
      `cnpg:database:create for ${service.name}: ${
        error instanceof Error ? error.message : error
      }\n${lines.join('\n')}`,
    );
  }
  return outputs;
}
