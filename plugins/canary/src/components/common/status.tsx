import Typography from '@material-ui/core/Typography';
import { WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { useNow } from './usePolledValue';

/** Whether a failed request means "no such entity, or you may not read it". */
export function isNotFound(error: Error): boolean {
  if (ResponseError.is(error)) {
    return error.statusCode === 404;
  }
  return error.name === 'NotFoundError';
}

/** "Updated N s ago", ticking. */
export function UpdatedAgo(props: { updatedAt: number }) {
  const now = useNow(1000);
  const seconds = Math.max(0, Math.floor((now - props.updatedAt) / 1000));
  return (
    <Typography variant="body2" color="textSecondary" component="p">
      Updated{' '}
      <time dateTime={new Date(props.updatedAt).toISOString()}>
        {`${seconds} s ago`}
      </time>
    </Typography>
  );
}

/** A cluster that could not be read: its message and status, as both views show it. */
export function ClusterErrorPanel(props: {
  cluster: string;
  error: { message: string; statusCode?: number };
  defaultExpanded?: boolean;
}) {
  const { cluster, error, defaultExpanded } = props;
  const status =
    error.statusCode !== undefined ? ` (status ${error.statusCode})` : '';
  return (
    <WarningPanel
      severity="error"
      title={`Could not read cluster ${cluster}`}
      message={`${error.message}${status}`}
      defaultExpanded={defaultExpanded}
    />
  );
}
