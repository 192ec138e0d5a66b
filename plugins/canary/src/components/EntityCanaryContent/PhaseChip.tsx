import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import DoneAll from '@material-ui/icons/DoneAll';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import PauseCircleOutline from '@material-ui/icons/PauseCircleOutline';
import TrendingUp from '@material-ui/icons/TrendingUp';
import type { CanaryPhase } from '@runway/plugin-canary-common';
import { useVisuallyHiddenStyles } from './styles';

type PaletteKey = 'success' | 'info' | 'primary' | 'warning' | 'error';

const PHASES: Record<
  CanaryPhase,
  { label: string; palette: PaletteKey; Icon: typeof CheckCircleOutline }
> = {
  stable: { label: 'Stable', palette: 'success', Icon: CheckCircleOutline },
  progressing: { label: 'Progressing', palette: 'info', Icon: TrendingUp },
  promoted: { label: 'Promoted', palette: 'primary', Icon: DoneAll },
  paused: { label: 'Paused', palette: 'warning', Icon: PauseCircleOutline },
  misconfigured: {
    label: 'Misconfigured',
    palette: 'error',
    Icon: ErrorOutline,
  },
};

const useStyles = makeStyles<Theme, { palette: PaletteKey }>(theme => ({
  chip: {
    borderColor: ({ palette }) => theme.palette[palette].main,
    borderWidth: 2,
    fontWeight: theme.typography.fontWeightBold as number,
  },
  icon: {
    color: ({ palette }) => theme.palette[palette].main,
  },
}));

/** The release phase: an icon, a colour and, always, the phase as text. */
export function PhaseChip(props: { phase: CanaryPhase | string }) {
  const known = PHASES[props.phase as CanaryPhase];
  const phase = known ?? {
    label: props.phase,
    palette: 'info' as const,
    Icon: ErrorOutline,
  };
  const classes = useStyles({ palette: phase.palette });
  const hidden = useVisuallyHiddenStyles();
  const { Icon } = phase;
  return (
    <Chip
      variant="outlined"
      size="small"
      className={classes.chip}
      data-testid="canary-phase"
      icon={<Icon className={classes.icon} aria-hidden="true" />}
      label={
        <>
          <span className={hidden.visuallyHidden}>Phase: </span>
          {phase.label}
        </>
      }
    />
  );
}
