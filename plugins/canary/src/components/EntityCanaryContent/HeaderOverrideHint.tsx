import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { CopyTextButton } from '@backstage/core-components';
import type { CanaryRelease } from '@runway/plugin-canary-common';

const useStyles = makeStyles(theme => ({
  command: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  code: {
    flex: 1,
    margin: 0,
    padding: theme.spacing(1),
    overflowX: 'auto',
    fontFamily: 'monospace',
    backgroundColor: theme.palette.background.default,
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
  },
}));

/** Quotes a string for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The `curl` command that reaches the override's subset through the first host. */
export function headerOverrideCommand(
  override: NonNullable<CanaryRelease['headerOverride']>,
  hosts: string[],
): string {
  const host = hosts[0] ?? '<host>';
  return `curl -H ${shellQuote(
    `${override.header}: ${override.value}`,
  )} http://${host}/`;
}

/** How to reach one subset directly with the header override, with a copy button. */
export function HeaderOverrideHint(props: {
  override: NonNullable<CanaryRelease['headerOverride']>;
  hosts: string[];
}) {
  const { override, hosts } = props;
  const classes = useStyles();
  const command = headerOverrideCommand(override, hosts);
  return (
    <Box>
      <Typography variant="body2">
        Requests carrying the header <code>{override.header}</code> with the
        value <code>{override.value}</code> go to the subset{' '}
        <code>{override.subset}</code>, whatever the weights.
      </Typography>
      <div className={classes.command}>
        <pre className={classes.code}>
          <code>{command}</code>
        </pre>
        <CopyTextButton
          text={command}
          aria-label="Copy the curl command"
          tooltipText="Command copied to clipboard"
        />
      </div>
    </Box>
  );
}
