/*
 * The portal's own PostgreSQL: the objects cnpg:database:create builds, for the chart.
 * templates/database.yaml is generated from the same builder with placeholder inputs that
 * become Helm expressions, so the chart renders exactly what the action would apply.
 */
import {
  buildDatabaseObjects,
  Manifest,
} from '@runway/plugin-scaffolder-backend-module-cnpg';
import { Document, visit } from 'yaml';

/** The chart's `database` values that reach the builder. */
export type DatabaseValues = {
  storageSize: string;
  backup: {
    destinationPath: string;
    roleArn: string;
    retentionPolicy: string;
    schedule: string;
  };
};

/** The Kubernetes cluster the chart is installed in, as the builder's `cluster` names it. */
const PORTAL_CLUSTER = 'portal';

/**
 * The action's input for the portal: the service is the Helm release, one environment
 * named `production` (three instances, the builder's production default) in the release's
 * namespace, backups through the Barman Cloud plugin with an IRSA role.
 */
export function portalDatabaseInput(
  release: string,
  namespace: string,
  values: DatabaseValues,
) {
  return {
    name: release,
    environments: [{ name: 'production', cluster: PORTAL_CLUSTER, namespace }],
    storageSize: values.storageSize,
    backup: {
      destinationPath: values.backup.destinationPath,
      roleArn: values.backup.roleArn,
      retentionPolicy: values.backup.retentionPolicy,
      schedule: values.backup.schedule,
    },
  };
}

/** What cnpg:database:create would apply for the release, in apply order. */
export function portalDatabaseObjects(
  release: string,
  namespace: string,
  values: DatabaseValues,
): Manifest[] {
  return buildDatabaseObjects(portalDatabaseInput(release, namespace, values), {
    knownClusters: [PORTAL_CLUSTER],
  });
}

/**
 * Placeholder inputs, each valid for the builder and unlike anything it adds itself, and
 * the Helm expression that replaces it wherever it shows up in the built objects.
 */
export const PLACEHOLDERS: ReadonlyArray<
  readonly [placeholder: string, expression: string]
> = [
  ['zzrelease', '.Release.Name'],
  ['zznamespace', '.Release.Namespace'],
  ['7777Mi', '.Values.database.storageSize'],
  ['s3://zz-destination', '.Values.database.backup.destinationPath'],
  ['arn:aws:iam::000000000000:role/zz-role', '.Values.database.backup.roleArn'],
  ['777d', '.Values.database.backup.retentionPolicy'],
  ['7 7 7 * * *', '.Values.database.backup.schedule'],
];

const placeholder = (expression: string) =>
  PLACEHOLDERS.find(([, e]) => e === expression)![0];

/** A string with every placeholder in it replaced by its `{{ expression }}`. */
export function toHelmString(value: string): string {
  return PLACEHOLDERS.reduce(
    (text, [from, expression]) => text.split(from).join(`{{ ${expression} }}`),
    value,
  );
}

/**
 * The chart's templates/database.yaml: the builder's objects for the placeholder inputs,
 * every string that holds a placeholder written as a double-quoted Helm-templated string.
 */
export function databaseTemplate(): string {
  const objects = portalDatabaseObjects(
    placeholder('.Release.Name'),
    placeholder('.Release.Namespace'),
    {
      storageSize: placeholder('.Values.database.storageSize'),
      backup: {
        destinationPath: placeholder('.Values.database.backup.destinationPath'),
        roleArn: placeholder('.Values.database.backup.roleArn'),
        retentionPolicy: placeholder('.Values.database.backup.retentionPolicy'),
        schedule: placeholder('.Values.database.backup.schedule'),
      },
    },
  );
  const documents = objects.map(object => {
    const doc = new Document(object);
    visit(doc, {
      Scalar(_, node) {
        if (typeof node.value !== 'string') return;
        const templated = toHelmString(node.value);
        if (templated !== node.value) {
          node.value = templated;
          node.type = 'QUOTE_DOUBLE';
        }
      },
    });
    return doc.toString({ lineWidth: 0 });
  });
  return [
    '{{- /*',
    'GENERATED from the builder of cnpg:database:create',
    '(plugins/scaffolder-backend-module-cnpg) by `yarn workspace @runway/deploy-harness generate`;',
    'do not edit: `make production` fails when this file differs from what the builder builds.',
    'The portal database, as the action would create it for the release in its namespace:',
    'a three-instance Cluster <release>-db, its Barman Cloud ObjectStore and ScheduledBackup.',
    '*/}}',
    '{{- if .Values.database.enabled }}',
    documents.join('---\n').trimEnd(),
    '{{- end }}',
    '',
  ].join('\n');
}
