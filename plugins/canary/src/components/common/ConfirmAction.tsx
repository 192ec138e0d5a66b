import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';

/** What an action did, shown inline under its buttons. */
export type ActionOutcome = { severity: 'success' | 'error'; text: string };

/** The confirmation of an action: what will happen, Cancel, and the action's own button. */
export function ConfirmActionDialog(props: {
  open: boolean;
  /** The id of the dialog's title (the dialog is labelled by it). */
  titleId: string;
  title: string;
  /** What will happen. */
  text: string;
  confirmLabel: string;
  confirmColor?: 'primary' | 'secondary';
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onCancel}
      aria-labelledby={props.titleId}
    >
      <DialogTitle id={props.titleId}>{props.title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{props.text}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button
          color={props.confirmColor ?? 'primary'}
          variant="contained"
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The outcome of the last action, if any. */
export function ActionOutcomeAlert(props: { outcome?: ActionOutcome }) {
  if (!props.outcome) return null;
  return (
    <Box mt={1}>
      <Alert severity={props.outcome.severity} role="status">
        {props.outcome.text}
      </Alert>
    </Box>
  );
}
