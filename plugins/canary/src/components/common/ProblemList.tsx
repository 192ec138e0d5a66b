import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import { makeStyles } from '@material-ui/core/styles';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import ReportProblemOutlined from '@material-ui/icons/ReportProblemOutlined';
import type { CanaryProblem } from '@runway/plugin-canary-common';
import { wrappingListText } from './wrappingListText';

/** A problem with a one-sentence fix: of a canary release or of a database. */
type Problem = Pick<CanaryProblem, 'code' | 'severity' | 'message'>;

const useStyles = makeStyles(theme => ({
  error: { color: theme.palette.error.main },
  warning: { color: theme.palette.warning.main },
  severity: { fontWeight: theme.typography.fontWeightBold as number },
  code: { fontFamily: 'monospace' },
}));

/** Problems found: severity as icon and text, then the message and its code. */
export function ProblemList(props: {
  problems: Problem[];
  labelledBy: string;
}) {
  const { problems, labelledBy } = props;
  const classes = useStyles();
  return (
    <List dense disablePadding aria-labelledby={labelledBy}>
      {problems.map((problem, index) => {
        const isError = problem.severity === 'error';
        const Icon = isError ? ErrorOutline : ReportProblemOutlined;
        return (
          <ListItem key={`${problem.code}-${index}`} disableGutters>
            <ListItemIcon>
              <Icon
                className={isError ? classes.error : classes.warning}
                aria-hidden="true"
              />
            </ListItemIcon>
            <ListItemText
              style={wrappingListText}
              primary={
                <>
                  <span className={classes.severity}>
                    {isError ? 'Error' : 'Warning'}:
                  </span>{' '}
                  {problem.message}
                </>
              }
              secondary={<span className={classes.code}>{problem.code}</span>}
            />
          </ListItem>
        );
      })}
    </List>
  );
}
