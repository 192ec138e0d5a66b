import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

const step = (name: string, input: Record<string, unknown>) =>
  stringify({
    steps: [
      {
        id: 'database',
        action: 'cnpg:database:create',
        name,
        input,
      },
    ],
  });

export const examples: TemplateExample[] = [
  {
    description:
      'A dedicated PostgreSQL in staging (1 instance) and production (3 instances), creating the namespaces.',
    example: step('Create the PostgreSQL database', {
      name: 'orders-api',
      environments: [
        { name: 'staging', cluster: 'staging' },
        { name: 'production', cluster: 'production' },
      ],
      createNamespace: true,
    }),
  },
  {
    description:
      'One cluster with a chosen size, storage class and PostgreSQL version, waiting until every instance is ready.',
    example: step('Create the PostgreSQL database', {
      name: 'payments',
      namespace: 'payments',
      cluster: 'production',
      instances: 3,
      storageSize: '20Gi',
      storageClass: 'gp3',
      postgresVersion: '17',
      database: 'payments',
      owner: 'payments',
      createNamespace: true,
      waitForReady: true,
      waitTimeoutSeconds: 900,
    }),
  },
  {
    description:
      "Backups to S3 with the Barman Cloud plugin, the cluster's service account assuming an IAM role (IRSA).",
    example: step('Create the PostgreSQL database with backups', {
      name: 'orders-api',
      environments: [
        { name: 'staging', cluster: 'staging' },
        { name: 'production', cluster: 'production', instances: 3 },
      ],
      createNamespace: true,
      backup: {
        destinationPath: 's3://acme-pg-backups/orders-api',
        roleArn: 'arn:aws:iam::123456789012:role/orders-api-pg-backup',
        retentionPolicy: '14d',
      },
    }),
  },
  {
    description:
      'A database on the existing shared cluster `shared-pg` of the namespace `databases`.',
    example: step('Create the database on the shared cluster', {
      name: 'inventory',
      cluster: 'staging',
      mode: 'shared',
      sharedCluster: 'shared-pg',
      sharedClusterNamespace: 'databases',
    }),
  },
];
