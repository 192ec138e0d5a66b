import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import ReportProblemOutlined from '@material-ui/icons/ReportProblemOutlined';
import Sync from '@material-ui/icons/Sync';
import type { DatabaseHealth } from '@runway/plugin-canary-common';
import { StatusChip, StatusLook } from '../common/StatusChip';

const HEALTH: Record<DatabaseHealth, StatusLook> = {
  healthy: { label: 'Healthy', palette: 'success', Icon: CheckCircleOutline },
  progressing: { label: 'Progressing', palette: 'info', Icon: Sync },
  degraded: {
    label: 'Degraded',
    palette: 'warning',
    Icon: ReportProblemOutlined,
  },
  failed: { label: 'Failed', palette: 'error', Icon: ErrorOutline },
};

/** A database's health: an icon, a colour and, always, the word. */
export function HealthChip(props: { health: DatabaseHealth }) {
  return <StatusChip look={HEALTH[props.health] ?? HEALTH.progressing} />;
}
