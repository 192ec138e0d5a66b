import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  canaryEnvironmentPromotePermission,
  PromotionResponse,
} from '@runway/plugin-canary-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { canaryApiRef } from '../../api';
import {
  ActionOutcome,
  ActionOutcomeAlert,
  ConfirmActionDialog,
} from '../common/ConfirmAction';
import { messageOf } from '../common/messageOf';

const short = (sha: string) => sha.slice(0, 12);

function resultText(result: PromotionResponse): string {
  switch (result.status) {
    case 'promoted':
      return `Promoted ${short(result.commit)} to production: ${
        result.application
      } now deploys it (was ${
        result.previousRevision ? short(result.previousRevision) : 'unpinned'
      }). Argo CD syncs it within minutes.`;
    case 'unchanged':
      return `${result.application} already deploys ${short(
        result.commit,
      )}; nothing was changed.`;
    case 'pull-request':
    default:
      return `A pull request pins ${result.application} to ${short(
        result.commit,
      )}: ${result.pullRequestUrl ?? ''}. Argo CD deploys it once merged.`;
  }
}

/**
 * The "Promote to production" button of the staging release: enabled when the commit
 * staging runs passes every gate of `argocd:app:promote` and the caller holds
 * `canary.environment.promote` on the entity; otherwise disabled with the failing gates
 * (or the permission reason) listed. Confirmed in a dialog naming the commit; the result
 * is shown inline.
 */
export function PromoteToProduction(props: { onDone?: () => void }) {
  const api = useApi(canaryApiRef);
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const compound = {
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  };
  const permission = usePermission({
    permission: canaryEnvironmentPromotePermission,
    resourceRef: entityRef,
  });
  const promotion = useAsyncRetry(
    () => api.getPromotion(compound),
    [api, entityRef],
  );
  const [confirming, setConfirming] = useState(false);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome>();

  if (promotion.loading && !promotion.value) {
    return (
      <Typography variant="body2" color="textSecondary">
        Checking the promotion gates…
      </Typography>
    );
  }
  if (promotion.error) {
    return (
      <Alert severity="warning">
        {`Promotion to production is unavailable: ${messageOf(
          promotion.error,
        )}`}
      </Alert>
    );
  }
  const status = promotion.value;
  if (!status) return null;
  if (status.state === 'not-configured' || status.state === 'no-candidate') {
    return (
      <Typography variant="body2" color="textSecondary">
        {status.message}
      </Typography>
    );
  }
  const candidate = status.candidate!;
  const failing = status.gates.filter(g => !g.passed);
  const reasons: string[] = [];
  if (permission.loading) reasons.push('Checking your permission…');
  else if (!permission.allowed) {
    reasons.push(
      `You may not promote to production: only the owners of ${entityRef} and the platform teams may.`,
    );
  }
  if (status.state === 'unchanged') {
    reasons.push(`Production already deploys ${short(candidate)}.`);
  }
  reasons.push(...failing.map(g => `${g.gate}: ${g.message}`));

  const run = async () => {
    setConfirming(false);
    setRunning(true);
    setOutcome(undefined);
    try {
      const result = await api.promoteToProduction(compound, candidate);
      setOutcome({ severity: 'success', text: resultText(result) });
      promotion.retry();
      props.onDone?.();
    } catch (error) {
      setOutcome({
        severity: 'error',
        text: `Promote to production failed: ${messageOf(error)}`,
      });
    } finally {
      setRunning(false);
    }
  };

  return (
    <Box>
      <Button
        variant="contained"
        color="primary"
        size="small"
        disabled={reasons.length > 0 || running}
        aria-describedby={
          reasons.length > 0 ? 'promote-to-production-reasons' : undefined
        }
        onClick={() => setConfirming(true)}
      >
        {running ? 'Promote to production…' : 'Promote to production'}
      </Button>
      {reasons.length > 0 && (
        <ul
          id="promote-to-production-reasons"
          aria-label="Why promotion to production is disabled"
          style={{ margin: '8px 0 0', paddingLeft: 16 }}
        >
          {reasons.map(reason => (
            <Typography
              component="li"
              variant="caption"
              color="textSecondary"
              display="block"
              key={reason}
            >
              {reason}
            </Typography>
          ))}
        </ul>
      )}
      <ActionOutcomeAlert outcome={outcome} />
      <ConfirmActionDialog
        open={confirming}
        titleId="promote-to-production-title"
        title={`Promote ${short(candidate)} to production?`}
        text={`${
          status.application
        } will be pinned to commit ${candidate}, which staging runs and verified (was ${
          status.currentRevision ? short(status.currentRevision) : 'unpinned'
        }). Argo CD then deploys it to production as a canary.`}
        confirmLabel="Promote to production"
        onCancel={() => setConfirming(false)}
        onConfirm={run}
      />
    </Box>
  );
}
