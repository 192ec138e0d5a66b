import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import DoneAll from '@material-ui/icons/DoneAll';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import PauseCircleOutline from '@material-ui/icons/PauseCircleOutline';
import TrendingUp from '@material-ui/icons/TrendingUp';
import type { CanaryPhase } from '@runway/plugin-canary-common';
import { StatusChip, StatusLook } from '../common/StatusChip';

const PHASES: Record<CanaryPhase, StatusLook> = {
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

/** The release phase: an icon, a colour and, always, the phase as text. */
export function PhaseChip(props: { phase: CanaryPhase | string }) {
  const look = PHASES[props.phase as CanaryPhase] ?? {
    label: props.phase,
    palette: 'info',
    Icon: ErrorOutline,
  };
  return <StatusChip look={look} prefix="Phase: " data-testid="canary-phase" />;
}
