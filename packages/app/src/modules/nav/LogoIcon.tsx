import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: { width: 24, height: 28, flexShrink: 0 },
  strip: { fill: '#7df3e1' },
  marks: { fill: '#0b2e35' },
});

/** Runway's mark: a runway strip with its centre line, seen from the approach. */
export const LogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 40 48"
      role="img"
      aria-label="Runway"
    >
      <path className={classes.strip} d="M14 0h12l14 48H0z" />
      <path
        className={classes.marks}
        d="M19 4h2v8h-2zM19 18h2v10h-2zM18.5 34h3v12h-3z"
      />
    </svg>
  );
};
