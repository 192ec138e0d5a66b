import { useId } from 'react';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { ClusterCanaries } from '@runway/plugin-canary-common';
import { ClusterErrorPanel } from '../common/status';
import { ReleaseCard } from './ReleaseCard';
import { PromoteToProduction } from './PromoteToProduction';
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
  promotion: {
    marginTop: theme.spacing(2),
    padding: theme.spacing(2),
  },
}));

/** The cluster whose commit is promoted to production (argocd:app:promote's default source). */
const PROMOTION_SOURCE = 'staging';

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

  // The promotion is the entity's app's (staging's commit to production), not one
  // release's: shown once under the staging cluster, however many releases run there.
  const promotion = cluster.cluster === PROMOTION_SOURCE && !cluster.error && (
    <Paper
      component="section"
      variant="outlined"
      aria-labelledby={`${headingId}-promotion`}
      className={classes.promotion}
    >
      <Typography
        variant="subtitle2"
        component="h4"
        id={`${headingId}-promotion`}
        gutterBottom
      >
        Promotion to production
      </Typography>
      <PromoteToProduction onDone={props.onChange} />
    </Paper>
  );

  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Typography variant="h6" component="h3" id={headingId} gutterBottom>
        {`Cluster ${cluster.cluster}`}
      </Typography>
      {body}
      {promotion}
    </section>
  );
}
