import { useId } from 'react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { ClusterCanaries } from '@runway/plugin-canary-common';
import { ClusterErrorPanel } from '../common/status';
import { ReleaseCard } from './ReleaseCard';
import type { LiveHealthState } from './LiveHealth';

const useStyles = makeStyles(theme => ({
  section: {
    marginBottom: theme.spacing(4),
  },
  releases: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
}));

/** What one cluster reports: its error, a "nothing here" note, or its releases. */
export function ClusterSection(props: {
  cluster: ClusterCanaries;
  /** The live health of a release of this cluster. */
  health?: (release: {
    namespace: string;
    virtualService: string;
  }) => LiveHealthState;
  /** Called after an action changed something (to refresh the status). */
  onChange?: () => void;
}) {
  const { cluster } = props;
  const classes = useStyles();
  const headingId = `canary-cluster-${useId().replace(/:/g, '')}`;

  let body: JSX.Element;
  if (cluster.error) {
    body = (
      <ClusterErrorPanel
        cluster={cluster.cluster}
        error={cluster.error}
        defaultExpanded
      />
    );
  } else if (cluster.releases.length === 0) {
    body = (
      <Typography variant="body1" color="textSecondary">
        No canary-routed releases in this cluster.
      </Typography>
    );
  } else {
    body = (
      <Grid
        container
        spacing={2}
        component="ul"
        className={classes.releases}
        aria-label={`Releases in cluster ${cluster.cluster}`}
      >
        {cluster.releases.map(release => (
          <Grid
            item
            xs={12}
            component="li"
            key={`${release.namespace}/${release.virtualService}`}
          >
            <ReleaseCard
              release={release}
              cluster={cluster.cluster}
              health={props.health?.(release)}
              onChange={props.onChange}
            />
          </Grid>
        ))}
      </Grid>
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
