import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import ReportProblemOutlined from '@material-ui/icons/ReportProblemOutlined';
import Sync from '@material-ui/icons/Sync';
import type { DatabaseHealth } from '@runway/plugin-canary-common';

type PaletteKey = 'success' | 'info' | 'warning' | 'error';

const HEALTH: Record<
  DatabaseHealth,
  { label: string; palette: PaletteKey; Icon: typeof CheckCircleOutline }
> = {
  healthy: { label: 'Healthy', palette: 'success', Icon: CheckCircleOutline },
  progressing: { label: 'Progressing', palette: 'info', Icon: Sync },
  degraded: {
    label: 'Degraded',
    palette: 'warning',
    Icon: ReportProblemOutlined,
  },
  failed: { label: 'Failed', palette: 'error', Icon: ErrorOutline },
};

const useStyles = makeStyles<Theme, { palette: PaletteKey }>(theme => ({
  chip: {
    borderColor: ({ palette }) => theme.palette[palette].main,
    borderWidth: 2,
    fontWeight: theme.typography.fontWeightBold as number,
  },
  icon: { color: ({ palette }) => theme.palette[palette].main },
}));

/** A database's health: an icon, a colour and, always, the word. */
export function HealthChip(props: { health: DatabaseHealth }) {
  const health = HEALTH[props.health] ?? HEALTH.progressing;
  const classes = useStyles({ palette: health.palette });
  const { Icon } = health;
  return (
    <Chip
      variant="outlined"
      size="small"
      className={classes.chip}
      icon={<Icon className={classes.icon} aria-hidden="true" />}
      label={health.label}
    />
  );
}
