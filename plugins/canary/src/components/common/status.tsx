import Typography from '@material-ui/core/Typography';
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
