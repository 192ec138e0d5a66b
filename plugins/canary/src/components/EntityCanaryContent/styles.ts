import { makeStyles } from '@material-ui/core/styles';

/** Hides content visually while keeping it for screen readers. */
export const useVisuallyHiddenStyles = makeStyles({
  visuallyHidden: {
    border: 0,
    clip: 'rect(0 0 0 0)',
    height: 1,
    margin: -1,
    overflow: 'hidden',
    padding: 0,
    position: 'absolute',
    whiteSpace: 'nowrap',
    width: 1,
  },
});
