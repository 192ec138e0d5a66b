import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import type SvgIcon from '@material-ui/core/SvgIcon';
import { useVisuallyHiddenStyles } from '../EntityCanaryContent/styles';

/** The theme palette a status is drawn in. */
export type StatusPalette =
  | 'success'
  | 'info'
  | 'primary'
  | 'warning'
  | 'error';

/** How one status looks: its word, its colour and its icon. */
export type StatusLook = {
  label: string;
  palette: StatusPalette;
  Icon: typeof SvgIcon;
};

const useStyles = makeStyles<Theme, { palette: StatusPalette }>(theme => ({
  chip: {
    borderColor: ({ palette }) => theme.palette[palette].main,
    borderWidth: 2,
    fontWeight: theme.typography.fontWeightBold as number,
  },
  icon: { color: ({ palette }) => theme.palette[palette].main },
}));

/**
 * A status as an outlined chip: an icon, a colour and, always, the word (after a
 * visually hidden `prefix` for screen readers, when given).
 */
export function StatusChip(props: {
  look: StatusLook;
  prefix?: string;
  'data-testid'?: string;
}) {
  const { look, prefix } = props;
  const classes = useStyles({ palette: look.palette });
  const hidden = useVisuallyHiddenStyles();
  const { Icon } = look;
  return (
    <Chip
      variant="outlined"
      size="small"
      className={classes.chip}
      data-testid={props['data-testid']}
      icon={<Icon className={classes.icon} aria-hidden="true" />}
      label={
        prefix ? (
          <>
            <span className={hidden.visuallyHidden}>{prefix}</span>
            {look.label}
          </>
        ) : (
          look.label
        )
      }
    />
  );
}
