import { makeStyles } from '@material-ui/core/styles';
import type { Track } from '@runway/plugin-canary-common';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    width: '100%',
    height: theme.spacing(4),
    borderRadius: theme.shape.borderRadius,
    overflow: 'hidden',
    border: `1px solid ${theme.palette.divider}`,
    backgroundColor: theme.palette.background.default,
  },
  segment: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    minWidth: 0,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
    fontSize: theme.typography.body2.fontSize,
    fontWeight: theme.typography.fontWeightBold as number,
    padding: theme.spacing(0, 0.5),
  },
  stable: {
    backgroundColor: theme.palette.primary.main,
    color: theme.palette.primary.contrastText,
  },
  canary: {
    // Stripes as well as colour, so the two sides differ without colour vision.
    backgroundColor: theme.palette.secondary.main,
    backgroundImage:
      'repeating-linear-gradient(45deg, rgba(255,255,255,0.25) 0, rgba(255,255,255,0.25) 6px, transparent 6px, transparent 12px)',
    color: theme.palette.secondary.contrastText,
  },
  unrouted: {
    backgroundColor: theme.palette.action.disabledBackground,
    color: theme.palette.text.primary,
  },
}));

function versionText(track: Track): string {
  return track.version ? track.version : 'version unknown';
}

type Segment = {
  key: 'stable' | 'canary' | 'unrouted';
  weight: number;
  label: string;
  description: string;
};

/** The segments of the split, in order, with their text. */
export function splitSegments(stable: Track, canary?: Track): Segment[] {
  const segments: Segment[] = [
    {
      key: 'stable',
      weight: stable.weight,
      label: `${stable.weight}% stable · ${versionText(stable)}`,
      description: `${stable.weight}% stable (${versionText(stable)})`,
    },
  ];
  if (canary) {
    segments.push({
      key: 'canary',
      weight: canary.weight,
      label: `${canary.weight}% canary · ${versionText(canary)}`,
      description: `${canary.weight}% canary (${versionText(canary)})`,
    });
  }
  const sum = segments.reduce((total, s) => total + s.weight, 0);
  if (sum < 100) {
    const rest = 100 - sum;
    segments.push({
      key: 'unrouted',
      weight: rest,
      label: `${rest}% unrouted`,
      description: `${rest}% unrouted`,
    });
  }
  return segments;
}

/** The accessible description of the split, e.g. "Traffic: 80% stable (v1), 20% canary (v2)". */
export function describeSplit(stable: Track, canary?: Track): string {
  return `Traffic: ${splitSegments(stable, canary)
    .map(s => s.description)
    .join(', ')}`;
}

/**
 * A horizontal bar: one segment per track, as wide as its weight, each labelled
 * with its percentage and version. Screen readers get the whole split as the
 * image's label.
 */
export function TrafficSplitBar(props: { stable: Track; canary?: Track }) {
  const { stable, canary } = props;
  const classes = useStyles();
  const segments = splitSegments(stable, canary);
  const total = Math.max(
    100,
    segments.reduce((sum, s) => sum + s.weight, 0),
  );
  return (
    <div
      role="img"
      aria-label={describeSplit(stable, canary)}
      className={classes.bar}
      data-testid="traffic-split-bar"
    >
      {segments
        .filter(s => s.weight > 0)
        .map(s => (
          <div
            key={s.key}
            className={`${classes.segment} ${classes[s.key]}`}
            style={{ width: `${(s.weight / total) * 100}%` }}
            title={s.label}
            data-testid={`traffic-segment-${s.key}`}
          >
            {s.label}
          </div>
        ))}
    </div>
  );
}
