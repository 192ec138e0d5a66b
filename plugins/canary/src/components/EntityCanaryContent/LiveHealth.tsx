import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  ClusterHealth,
  ReleaseHealth,
} from '@runway/plugin-canary-common';

/** What the Canary tab knows of a release's live health. */
export type LiveHealthState =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'cluster'; cluster: ClusterHealth; release?: ReleaseHealth };

const rate = (v: number | null) =>
  v === null ? 'No data' : `${v.toFixed(2)} req/s`;
const share = (v: number | null) =>
  v === null ? 'No data' : `${(v * 100).toFixed(2)} %`;
const ms = (v: number | null) =>
  v === null ? 'No data' : `${Math.round(v)} ms`;

function Note(props: { children: string }) {
  return (
    <Typography variant="body2" color="textSecondary">
      {props.children}
    </Typography>
  );
}

/**
 * What Prometheus said about the figures (e.g. that they are synthetic), shown above
 * them so nobody takes them for measured traffic without reading it.
 */
function Notices(props: { notices?: string[]; caption: string }) {
  if (!props.notices?.length) return null;
  return (
    <Alert
      severity="info"
      role="note"
      aria-label={`Prometheus on ${props.caption}`}
    >
      {props.notices.length === 1 ? (
        `Prometheus says of these figures: ${props.notices[0]}`
      ) : (
        <>
          Prometheus says of these figures:
          <ul>
            {props.notices.map(n => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </Alert>
  );
}

/**
 * Request rate, success rate and p99 latency of each track over the last 5 minutes, as
 * the analysis sees them, with what Prometheus said about them; "no data", "not
 * configured" and "unavailable" are states.
 */
export function LiveHealth(props: {
  health: LiveHealthState;
  caption: string;
}) {
  const { health } = props;
  if (health.state === 'loading') return <Note>Loading live health…</Note>;
  if (health.state === 'error') {
    return <Note>{`Live health could not be loaded: ${health.message}`}</Note>;
  }
  const { cluster, release } = health;
  if (cluster.prometheus === 'not-configured') {
    return (
      <Note>
        {`Prometheus not configured for cluster ${cluster.cluster} (canary.prometheus.${cluster.cluster}.url).`}
      </Note>
    );
  }
  if (cluster.prometheus === 'unavailable') {
    return (
      <Note>
        {`Prometheus of cluster ${cluster.cluster} is unavailable: ${
          cluster.message ?? 'no answer'
        }.`}
      </Note>
    );
  }
  if (!release) return <Note>No live health for this release.</Note>;
  if (release.unmeasured) return <Note>{release.unmeasured}</Note>;
  if (release.tracks.length === 0) return <Note>No tracks to measure.</Note>;
  return (
    <>
      <Notices notices={release.notices} caption={props.caption} />
      <Table size="small" aria-label={props.caption}>
        <TableHead>
          <TableRow>
            <TableCell>Track</TableCell>
            <TableCell>Service</TableCell>
            <TableCell align="right">Requests</TableCell>
            <TableCell align="right">Success rate</TableCell>
            <TableCell align="right">p99 latency</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {release.tracks.map(t => (
            <TableRow key={t.track}>
              <TableCell component="th" scope="row">
                {t.track}
              </TableCell>
              <TableCell>{t.service}</TableCell>
              <TableCell align="right">{rate(t.requestRate)}</TableCell>
              <TableCell align="right">{share(t.successRate)}</TableCell>
              <TableCell align="right">{ms(t.latencyP99Ms)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
