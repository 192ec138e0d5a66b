import { makeStyles } from '@material-ui/core';
import { LogoIcon } from './LogoIcon';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', gap: 10 },
  text: {
    color: '#ffffff',
    fontSize: 26,
    fontWeight: 700,
    letterSpacing: 0.5,
  },
});

export const LogoFull = () => {
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <LogoIcon />
      <span className={classes.text}>Runway</span>
    </div>
  );
};
