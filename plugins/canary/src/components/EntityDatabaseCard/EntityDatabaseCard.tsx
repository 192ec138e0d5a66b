import { useId } from 'react';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { ClusterDatabases } from '@runway/plugin-canary-common';
import { ClusterErrorPanel, isNotFound, UpdatedAgo } from '../common/status';
import { useNow } from '../common/usePolledValue';
import { DatabaseDetails } from './DatabaseDetails';
import { useDatabaseStatus } from './useDatabaseStatus';

const useStyles = makeStyles(theme => ({
  section: { marginBottom: theme.spacing(2) },
  notice: { marginBottom: theme.spacing(2) },
}));

function ClusterDatabasesSection(props: {
  cluster: ClusterDatabases;
  now: number;
}) {
  const { cluster, now } = props;
  const classes = useStyles();
  const headingId = `database-cluster-${useId().replace(/:/g, '')}`;
  let body: JSX.Element;
  if (cluster.error) {
    body = (
      <ClusterErrorPanel cluster={cluster.cluster} error={cluster.error} />
    );
  } else if (cluster.syncing) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Still syncing with this cluster: its databases show up in a moment.
      </Typography>
    );
  } else if (cluster.databases.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No database in this cluster.
      </Typography>
    );
  } else {
    body = (
      <>
        {cluster.databases.map(db => (
          <DatabaseDetails
            key={`${db.namespace}/${db.name}`}
            database={db}
            now={now}
          />
        ))}
      </>
    );
  }
  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Typography variant="h6" component="h3" id={headingId} gutterBottom>
        {`Cluster ${cluster.cluster}`}
      </Typography>
      {body}
    </section>
  );
}

/**
 * The Database card of an entity's overview: per cluster, each CloudNativePG cluster of the
 * entity with its phase, instances, primary, version, storage, archiving, backups and
 * certificates, and its problems with a fix. Shows nothing for an entity without a
 * database in any cluster that could be read.
 *
 * @public
 */
export function EntityDatabaseCard() {
  const { entity } = useEntity();
  const classes = useStyles();
  const now = useNow(30_000);
  const { loading, value, error, updatedAt, refresh, refreshing } =
    useDatabaseStatus(getCompoundEntityRef(entity));

  if (loading) {
    return (
      <InfoCard title="Database">
        <Progress aria-label="Loading databases" />
      </InfoCard>
    );
  }
  if (error && !value) {
    return (
      <InfoCard title="Database">
        <ResponseErrorPanel
          error={error}
          title={
            isNotFound(error)
              ? 'Entity not found, or you may not view it'
              : `Could not load the databases: ${error.message}`
          }
        />
      </InfoCard>
    );
  }
  const clusters = value?.clusters ?? [];
  const found = clusters.some(c => c.databases.length > 0);
  const unknown = clusters.some(c => c.error || c.syncing);
  // No database anywhere we could look: no card.
  if (!found && !unknown) return null;

  return (
    <InfoCard
      title="Database"
      subheader="CloudNativePG clusters of this entity, per Kubernetes cluster"
      action={
        <IconButton
          aria-label="Refresh databases"
          onClick={refresh}
          size="small"
        >
          <RefreshIcon aria-hidden="true" />
        </IconButton>
      }
    >
      <div aria-busy={refreshing}>
        {error && (
          <div className={classes.notice}>
            <WarningPanel
              severity="warning"
              title="Could not refresh the databases; showing the last known state"
              message={error.message}
            />
          </div>
        )}
        {clusters.map(cluster => (
          <ClusterDatabasesSection
            key={cluster.cluster}
            cluster={cluster}
            now={now}
          />
        ))}
        {updatedAt !== undefined && <UpdatedAgo updatedAt={updatedAt} />}
      </div>
    </InfoCard>
  );
}
