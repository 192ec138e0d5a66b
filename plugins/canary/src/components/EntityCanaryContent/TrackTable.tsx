import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import ReportProblemOutlined from '@material-ui/icons/ReportProblemOutlined';
import HelpOutline from '@material-ui/icons/HelpOutline';
import type { Track } from '@runway/plugin-canary-common';

const useStyles = makeStyles(theme => ({
  readiness: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  // Short values (and every header) on one line; the images column takes the rest.
  nowrap: { whiteSpace: 'nowrap' },
  ok: { color: theme.palette.success.main },
  warning: { color: theme.palette.warning.main },
  unknown: { color: theme.palette.text.secondary },
  images: {
    margin: 0,
    padding: 0,
    listStyle: 'none',
    fontFamily: 'monospace',
    wordBreak: 'break-all',
  },
}));

function Readiness(props: { replicas?: Track['replicas'] }) {
  const classes = useStyles();
  const { replicas } = props;
  if (!replicas) {
    return (
      <span className={classes.readiness}>
        <HelpOutline
          className={classes.unknown}
          fontSize="small"
          aria-hidden="true"
        />
        unknown
      </span>
    );
  }
  const ready = replicas.ready >= replicas.desired;
  const Icon = ready ? CheckCircleOutline : ReportProblemOutlined;
  return (
    <span className={classes.readiness}>
      <Icon
        className={ready ? classes.ok : classes.warning}
        fontSize="small"
        aria-hidden="true"
      />
      {`${replicas.ready}/${replicas.desired} ready`}
    </span>
  );
}

function TrackRow(props: { name: string; track: Track; revisions: boolean }) {
  const { name, track } = props;
  const classes = useStyles();
  return (
    <TableRow>
      <TableCell component="th" scope="row" className={classes.nowrap}>
        {name}
      </TableCell>
      <TableCell className={classes.nowrap}>{track.subset}</TableCell>
      <TableCell className={classes.nowrap}>
        {track.version ?? 'unknown'}
      </TableCell>
      {props.revisions && (
        <TableCell className={classes.nowrap}>
          {track.revision ?? 'unknown'}
        </TableCell>
      )}
      <TableCell className={classes.nowrap}>{`${track.weight}%`}</TableCell>
      <TableCell>
        <Readiness replicas={track.replicas} />
      </TableCell>
      <TableCell>
        {track.images && track.images.length > 0 ? (
          <ul className={classes.images}>
            {track.images.map(image => (
              <li key={image}>{image}</li>
            ))}
          </ul>
        ) : (
          'unknown'
        )}
      </TableCell>
    </TableRow>
  );
}

/**
 * One row per track: subset, version, revision (the pod template hash of its ReplicaSet,
 * when a Rollout's revisions are known), weight, replica readiness and images.
 */
export function TrackTable(props: {
  stable: Track;
  canary?: Track;
  caption: string;
}) {
  const { stable, canary, caption } = props;
  const classes = useStyles();
  const revisions = [stable, canary].some(t => t?.revision !== undefined);
  return (
    <Table size="small" aria-label={caption}>
      <TableHead className={classes.nowrap}>
        <TableRow>
          <TableCell>Track</TableCell>
          <TableCell>Subset</TableCell>
          <TableCell>Version</TableCell>
          {revisions && <TableCell>Revision</TableCell>}
          <TableCell>Traffic</TableCell>
          <TableCell>Replicas</TableCell>
          <TableCell>Images</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        <TrackRow name="Stable" track={stable} revisions={revisions} />
        {canary && (
          <TrackRow name="Canary" track={canary} revisions={revisions} />
        )}
      </TableBody>
    </Table>
  );
}
