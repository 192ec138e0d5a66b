import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  canaryRolloutAbortPermission,
  canaryRolloutPromotePermission,
  progressActionState,
  RolloutAction,
  RolloutActionResponse,
  rolloutActionRefusal,
  RolloutProgressState,
} from '@runway/plugin-canary-common';
import { canaryApiRef } from '../../api';
import {
  ActionOutcome,
  ActionOutcomeAlert,
  ConfirmActionDialog,
} from '../common/ConfirmAction';
import { messageOf } from '../common/messageOf';

/** The Rollout the buttons act on: where it is and where it stands. */
export type RolloutActionsTarget = {
  cluster: string;
  namespace: string;
  name: string;
  progress: RolloutProgressState;
};

const LABELS: Record<RolloutAction, string> = {
  promote: 'Promote',
  'promote-full': 'Promote fully',
  abort: 'Abort',
  retry: 'Retry',
};

/** What each action will do, in the confirmation dialog. */
function consequence(action: RolloutAction, where: string): string {
  switch (action) {
    case 'promote':
      return `The Rollout ${where} goes on to its next step: the pause or the step in progress ends now and the canary gets the next weight.`;
    case 'promote-full':
      return `The Rollout ${where} skips every remaining step, pause and analysis: the canary revision takes all traffic now and becomes stable.`;
    case 'abort':
      return `All traffic of ${where} goes back to the stable revision now; the canary's pods are scaled down. The Rollout stays aborted until someone retries it.`;
    case 'retry':
    default:
      return `The aborted update of ${where} starts again from its first step, with its analysis.`;
  }
}

function resultText(action: RolloutAction, result: RolloutActionResponse) {
  const step = (i?: number) =>
    i === undefined
      ? 'no step yet'
      : `step ${i + 1} of ${result.after.stepCount}`;
  const done = {
    promote: 'Promoted',
    'promote-full': 'Fully promoted',
    abort: 'Aborted',
    retry: 'Retried',
  }[action];
  return `${done} ${result.namespace}/${result.rollout} (was at ${step(
    result.before.currentStepIndex,
  )}). The controller applies it within seconds.`;
}

const useStyles = makeStyles(theme => ({
  buttons: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  reasons: {
    margin: theme.spacing(1, 0, 0),
    paddingLeft: theme.spacing(2),
  },
}));

/**
 * Promote, promote fully, abort and retry buttons for one Rollout: each disabled with the
 * reason when the caller may not act on the entity or the Rollout's state does not allow
 * it, confirmed in a dialog that says what will happen, with the result shown inline.
 */
export function RolloutActions(props: {
  target: RolloutActionsTarget;
  /** Called after an action succeeded (to refresh the status). */
  onDone?: () => void;
}) {
  const { target, onDone } = props;
  const classes = useStyles();
  const api = useApi(canaryApiRef);
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const promote = usePermission({
    permission: canaryRolloutPromotePermission,
    resourceRef: entityRef,
  });
  const abort = usePermission({
    permission: canaryRolloutAbortPermission,
    resourceRef: entityRef,
  });
  const [confirming, setConfirming] = useState<RolloutAction>();
  const [running, setRunning] = useState<RolloutAction>();
  const [outcome, setOutcome] = useState<ActionOutcome>();

  const where = `${target.namespace}/${target.name} in ${target.cluster}`;
  const state = progressActionState(target.progress);
  const reasonOf = (action: RolloutAction): string | undefined => {
    const permission = action === 'abort' ? abort : promote;
    if (permission.loading) return 'Checking your permission…';
    if (!permission.allowed) {
      return `You may not ${LABELS[action].toLocaleLowerCase(
        'en-US',
      )} this Rollout: only the owners of ${entityRef} and the platform teams may.`;
    }
    return rolloutActionRefusal(action, state);
  };
  const actions: RolloutAction[] = [
    'promote',
    'promote-full',
    'abort',
    'retry',
  ];
  const reasons = actions.map(action => ({ action, reason: reasonOf(action) }));

  const run = async (action: RolloutAction) => {
    setConfirming(undefined);
    setRunning(action);
    setOutcome(undefined);
    try {
      const result = await api.runRolloutAction({
        entityRef: {
          kind: entity.kind,
          namespace: entity.metadata.namespace ?? 'default',
          name: entity.metadata.name,
        },
        cluster: target.cluster,
        namespace: target.namespace,
        rollout: target.name,
        action,
      });
      setOutcome({ severity: 'success', text: resultText(action, result) });
      onDone?.();
    } catch (error) {
      setOutcome({
        severity: 'error',
        text: `${LABELS[action]} failed: ${messageOf(error)}`,
      });
    } finally {
      setRunning(undefined);
    }
  };

  const idBase = `rollout-${target.cluster}-${target.namespace}-${target.name}`;
  return (
    <Box>
      <div
        className={classes.buttons}
        role="group"
        aria-label={`Actions on Rollout ${where}`}
      >
        {reasons.map(({ action, reason }) => (
          <Button
            key={action}
            variant={action === 'abort' ? 'outlined' : 'contained'}
            color={action === 'abort' ? 'secondary' : 'primary'}
            size="small"
            disabled={!!reason || !!running}
            aria-describedby={reason ? `${idBase}-${action}-reason` : undefined}
            onClick={() => setConfirming(action)}
          >
            {running === action ? `${LABELS[action]}…` : LABELS[action]}
          </Button>
        ))}
      </div>
      <ul
        className={classes.reasons}
        aria-label="Why some actions are disabled"
      >
        {reasons
          .filter(r => r.reason)
          .map(({ action, reason }) => (
            <Typography
              component="li"
              variant="caption"
              color="textSecondary"
              display="block"
              key={action}
              id={`${idBase}-${action}-reason`}
            >
              {`${LABELS[action]}: ${reason}`}
            </Typography>
          ))}
      </ul>
      <ActionOutcomeAlert outcome={outcome} />
      <ConfirmActionDialog
        open={!!confirming}
        titleId={`${idBase}-dialog-title`}
        title={
          confirming
            ? `${LABELS[confirming]} ${target.namespace}/${target.name}?`
            : ''
        }
        text={confirming ? consequence(confirming, where) : ''}
        confirmLabel={confirming ? LABELS[confirming] : ''}
        confirmColor={confirming === 'abort' ? 'secondary' : 'primary'}
        onCancel={() => setConfirming(undefined)}
        onConfirm={() => confirming && run(confirming)}
      />
    </Box>
  );
}
