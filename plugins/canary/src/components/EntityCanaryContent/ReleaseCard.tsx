import { useId } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { InfoCard } from '@backstage/core-components';
import type { CanaryRelease } from '@runway/plugin-canary-common';
import { PhaseChip } from './PhaseChip';
import { TrafficSplitBar } from './TrafficSplitBar';
import { TrackTable } from './TrackTable';
import { HeaderOverrideHint } from './HeaderOverrideHint';
import { ProblemList } from '../common/ProblemList';
import { RolloutActions } from './RolloutActions';
import { LiveHealth, LiveHealthState } from './LiveHealth';
import { AnalysisRuns } from './AnalysisRuns';
import { describeProgress } from './rolloutProgress';
import { useNow } from '../common/usePolledValue';

const useStyles = makeStyles(theme => ({
  part: {
    marginTop: theme.spacing(2),
  },
  hosts: {
    margin: 0,
    padding: 0,
    listStyle: 'none',
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    fontFamily: 'monospace',
  },
}));

function PartHeading(props: { id: string; children: string }) {
  return (
    <Typography variant="subtitle2" component="h5" id={props.id} gutterBottom>
      {props.children}
    </Typography>
  );
}

/** One canary-routed VirtualService: phase, split, tracks, override and problems. */
export function ReleaseCard(props: {
  release: CanaryRelease;
  /** The cluster the release runs in (where its Rollout is acted on). */
  cluster?: string;
  /** Live health of this release, when asked. */
  health?: LiveHealthState;
  onChange?: () => void;
}) {
  const { release, cluster } = props;
  const { rollout, analysisRuns } = release;
  const now = useNow(5000);
  const classes = useStyles();
  const title = `${release.namespace}/${release.virtualService}`;
  const idBase = `canary-release-${useId().replace(/:/g, '')}`;

  return (
    <InfoCard
      title={title}
      titleTypographyProps={{ component: 'h4', variant: 'h6' }}
      subheaderTypographyProps={{ component: 'div' }}
      action={<PhaseChip phase={release.phase} />}
      subheader={
        release.hosts.length > 0 ? (
          <Box component="span" display="block">
            <Box component="span">Hosts: </Box>
            <ul className={classes.hosts} aria-label={`Hosts of ${title}`}>
              {release.hosts.map(host => (
                <li key={host}>{host}</li>
              ))}
            </ul>
          </Box>
        ) : (
          'No hosts'
        )
      }
    >
      <section aria-labelledby={`${idBase}-traffic`}>
        <PartHeading id={`${idBase}-traffic`}>Traffic split</PartHeading>
        <TrafficSplitBar stable={release.stable} canary={release.canary} />
      </section>

      <section aria-labelledby={`${idBase}-tracks`} className={classes.part}>
        <PartHeading id={`${idBase}-tracks`}>Versions and replicas</PartHeading>
        <TrackTable
          stable={release.stable}
          canary={release.canary}
          caption={`Versions and replicas of ${title}`}
        />
      </section>

      {release.headerOverride && (
        <section
          aria-labelledby={`${idBase}-override`}
          className={classes.part}
        >
          <PartHeading id={`${idBase}-override`}>Header override</PartHeading>
          <HeaderOverrideHint
            override={release.headerOverride}
            hosts={release.hosts}
          />
        </section>
      )}

      {rollout && (
        <section
          aria-labelledby={`${idBase}-progress`}
          className={classes.part}
        >
          <PartHeading id={`${idBase}-progress`}>Progress</PartHeading>
          <Typography variant="body2" data-testid="rollout-progress">
            {describeProgress(rollout, now)}
          </Typography>
        </section>
      )}

      {analysisRuns && (
        <section
          aria-labelledby={`${idBase}-analysis`}
          className={classes.part}
        >
          <PartHeading id={`${idBase}-analysis`}>Analysis</PartHeading>
          <AnalysisRuns runs={analysisRuns} label={`Analysis of ${title}`} />
        </section>
      )}

      {props.health && (
        <section aria-labelledby={`${idBase}-health`} className={classes.part}>
          <PartHeading id={`${idBase}-health`}>
            Live health (last 5 minutes)
          </PartHeading>
          <LiveHealth
            health={props.health}
            caption={`Live health of ${title}`}
          />
        </section>
      )}

      {rollout && cluster && (
        <section aria-labelledby={`${idBase}-actions`} className={classes.part}>
          <PartHeading id={`${idBase}-actions`}>
            {`Rollout ${rollout.name}`}
          </PartHeading>
          <RolloutActions
            target={{
              cluster,
              namespace: release.namespace,
              name: rollout.name,
              progress: rollout,
            }}
            onDone={props.onChange}
          />
        </section>
      )}

      {release.problems.length > 0 && (
        <section
          aria-labelledby={`${idBase}-problems`}
          className={classes.part}
        >
          <PartHeading id={`${idBase}-problems`}>
            {`Problems (${release.problems.length})`}
          </PartHeading>
          <ProblemList
            problems={release.problems}
            labelledBy={`${idBase}-problems`}
          />
        </section>
      )}
    </InfoCard>
  );
}
