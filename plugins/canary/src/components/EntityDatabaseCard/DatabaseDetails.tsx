import { useId } from 'react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatDuration, PostgresCluster } from '@runway/plugin-canary-common';
import { ProblemList } from '../common/ProblemList';
import { HealthChip } from './HealthChip';

const useStyles = makeStyles(theme => ({
  title: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  label: {
    width: '35%',
    fontWeight: theme.typography.fontWeightMedium as number,
    verticalAlign: 'top',
  },
  mono: { fontFamily: 'monospace', wordBreak: 'break-all' },
}));

const ARCHIVING: Record<PostgresCluster['archiving']['state'], string> = {
  ok: 'Working',
  failing: 'Failing',
  'not-configured': 'Not configured',
  unknown: 'Not reported yet',
};

function When(props: { at: string; now: number; future?: boolean }) {
  const seconds = (Date.parse(props.at) - props.now) / 1000;
  const text = props.future
    ? `in ${formatDuration(seconds)}`
    : `${formatDuration(-seconds)} ago`;
  return (
    <time dateTime={props.at} title={new Date(props.at).toUTCString()}>
      {text}
    </time>
  );
}

/** One CloudNativePG Cluster: health, the facts an owner looks for, and its problems. */
export function DatabaseDetails(props: {
  database: PostgresCluster;
  now: number;
}) {
  const { database: db, now } = props;
  const classes = useStyles();
  const id = useId().replace(/:/g, '');
  const rows: [string, JSX.Element | string][] = [
    ['Phase', db.phase || 'No status yet'],
    ['Instances', `${db.instances.ready}/${db.instances.desired} ready`],
    ['Primary', db.primary ?? 'None'],
    [
      'PostgreSQL',
      <>
        {db.postgresVersion ?? 'Unknown version'}
        {db.image && (
          <Typography variant="body2" className={classes.mono}>
            {db.image}
          </Typography>
        )}
      </>,
    ],
    ['Storage', db.storageSize ?? 'Not set'],
    [
      'Continuous archiving',
      `${ARCHIVING[db.archiving.state]}${
        db.archiving.message ? `: ${db.archiving.message}` : ''
      }`,
    ],
    [
      'Last successful backup',
      db.lastSuccessfulBackup ? (
        <When at={db.lastSuccessfulBackup.completedAt} now={now} />
      ) : (
        'None yet'
      ),
    ],
    [
      'Next scheduled backup',
      db.nextScheduledBackup ? (
        <When at={db.nextScheduledBackup} now={now} future />
      ) : (
        'Not scheduled'
      ),
    ],
    [
      'Certificates',
      db.certificateExpiry ? (
        <>
          {db.certificateExpiry.name} expires{' '}
          <When at={db.certificateExpiry.expiresAt} now={now} future />
        </>
      ) : (
        'Not reported'
      ),
    ],
  ];
  if (db.databases.length > 0) {
    rows.push([
      'Databases',
      db.databases
        .map(
          d =>
            `${d.name}${d.owner ? ` (owner ${d.owner})` : ''}${
              d.applied === false ? ', not created yet' : ''
            }`,
        )
        .join('; '),
    ]);
  }

  return (
    <Box component="article" aria-labelledby={`db-${id}`} mb={2}>
      <div className={classes.title}>
        <Typography variant="subtitle1" component="h4" id={`db-${id}`}>
          {`${db.namespace}/${db.name}`}
        </Typography>
        <HealthChip health={db.health} />
      </div>
      {db.shared && (
        <Typography variant="body2" color="textSecondary" gutterBottom>
          A shared cluster: this entity has its own database on it.
        </Typography>
      )}
      <Table size="small" aria-label={`Database ${db.namespace}/${db.name}`}>
        <TableBody>
          {rows.map(([label, value]) => (
            <TableRow key={label}>
              <TableCell
                component="th"
                scope="row"
                role="rowheader"
                className={classes.label}
              >
                {label}
              </TableCell>
              <TableCell>{value}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {db.problems.length > 0 && (
        <>
          <Typography
            variant="subtitle2"
            component="h5"
            id={`db-problems-${id}`}
          >
            Problems
          </Typography>
          <ProblemList
            problems={db.problems}
            labelledBy={`db-problems-${id}`}
          />
        </>
      )}
    </Box>
  );
}
