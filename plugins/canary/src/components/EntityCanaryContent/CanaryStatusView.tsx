import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { ClusterSection } from './ClusterSection';
import { isNotFound, UpdatedAgo } from '../common/status';
import { useCanaryStatus, useCanaryHealth } from './useCanaryStatus';
import type { LiveHealthState } from './LiveHealth';
import type { CanaryHealthResponse } from '@runway/plugin-canary-common';
import type { PolledValue } from '../common/usePolledValue';

/** What the health answer says of one cluster (without its release yet). */
function clusterHealthState(
  health: PolledValue<CanaryHealthResponse>,
  cluster: string,
): (release: { namespace: string; virtualService: string }) => LiveHealthState {
  return release => {
    if (!health.value) {
      return health.error
        ? { state: 'error', message: health.error.message }
        : { state: 'loading' };
    }
    const c = health.value.clusters.find(x => x.cluster === cluster);
    if (!c)
      return { state: 'error', message: `no answer for cluster ${cluster}` };
    return {
      state: 'cluster',
      cluster: c,
      release: c.releases.find(
        r =>
          r.namespace === release.namespace &&
          r.virtualService === release.virtualService,
      ),
    };
  };
}

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
  title: {
    flexGrow: 1,
  },
  notice: {
    marginBottom: theme.spacing(2),
  },
}));

/** Loads and shows the canary status of one entity, refreshed while visible. */
export function CanaryStatusView(props: { entityRef: CompoundEntityRef }) {
  const classes = useStyles();
  const { loading, value, error, updatedAt, refresh, refreshing } =
    useCanaryStatus(props.entityRef);
  const health = useCanaryHealth(props.entityRef);

  if (loading) {
    return <Progress aria-label="Loading canary status" />;
  }

  if (error && !value) {
    return (
      <ResponseErrorPanel
        error={error}
        title={
          isNotFound(error)
            ? 'Entity not found, or you may not view it'
            : `Could not load the canary status: ${error.message}`
        }
      />
    );
  }

  if (!value) {
    return null;
  }

  return (
    <Box aria-busy={refreshing}>
      <div className={classes.header}>
        <Typography variant="h5" component="h2" className={classes.title}>
          Canary status
        </Typography>
        {updatedAt !== undefined && <UpdatedAgo updatedAt={updatedAt} />}
        <IconButton
          aria-label="Refresh canary status"
          onClick={refresh}
          size="small"
        >
          <RefreshIcon aria-hidden="true" />
        </IconButton>
      </div>

      {error && (
        <div className={classes.notice}>
          <WarningPanel
            severity="warning"
            title="Could not refresh the canary status; showing the last known status"
            message={error.message}
          />
        </div>
      )}

      {value.clusters.length === 0 ? (
        <EmptyState
          missing="data"
          title="No clusters"
          description="The Canary backend has no clusters configured, so there is nothing to show."
        />
      ) : (
        value.clusters.map(cluster => (
          <ClusterSection
            key={cluster.cluster}
            cluster={cluster}
            health={clusterHealthState(health, cluster.cluster)}
            onChange={refresh}
          />
        ))
      )}
    </Box>
  );
}
