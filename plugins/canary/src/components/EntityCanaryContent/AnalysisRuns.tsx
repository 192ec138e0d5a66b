import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import type {
  AnalysisMetricSummary,
  AnalysisRunSummary,
} from '@runway/plugin-canary-common';
import { wrappingListText } from '../common/wrappingListText';

/** The fields of the status response's AnalysisRuns this list shows. */
export type AnalysisRunFields = Pick<
  AnalysisRunSummary,
  'name' | 'phase' | 'message'
> & {
  metrics: Array<
    Pick<
      AnalysisMetricSummary,
      'name' | 'phase' | 'successCondition' | 'failureCondition'
    > & {
      lastMeasurement?: Pick<
        NonNullable<AnalysisMetricSummary['lastMeasurement']>,
        'phase' | 'value'
      >;
    }
  >;
};

/** Each AnalysisRun of the release (failures first, as the status sorts them). */
export function AnalysisRuns(props: {
  runs: AnalysisRunFields[];
  label: string;
}) {
  if (props.runs.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No analysis has run for this revision.
      </Typography>
    );
  }
  return (
    <List dense aria-label={props.label}>
      {props.runs.map(run => (
        <ListItem key={run.name} disableGutters alignItems="flex-start">
          <ListItemText
            style={wrappingListText}
            primary={`${run.name}: ${run.phase}${
              run.message ? ` (${run.message})` : ''
            }`}
            secondary={run.metrics
              .map(m => {
                const last = m.lastMeasurement;
                const measured = last
                  ? `last ${last.value ?? 'no value'} (${last.phase})`
                  : 'not measured yet';
                const rules = [
                  ...(m.successCondition
                    ? [`needs ${m.successCondition}`]
                    : []),
                  ...(m.failureCondition
                    ? [`fails if ${m.failureCondition}`]
                    : []),
                ];
                return [`${m.name} ${m.phase}: ${measured}`, ...rules].join(
                  ', ',
                );
              })
              .join(' · ')}
          />
        </ListItem>
      ))}
    </List>
  );
}
