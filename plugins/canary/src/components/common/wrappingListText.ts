import type { CSSProperties } from 'react';

/**
 * The style that lets a dense list item's text wrap: `<ListItemText style={…}>`.
 * Backstage's theme cuts the text of dense list items to one line (`white-space: nowrap`,
 * `overflow: hidden`, an ellipsis), which hid the end of a long analysis line or problem
 * message. Inline, so it outweighs the theme's rule whatever order the sheets load in.
 */
export const wrappingListText: CSSProperties = {
  whiteSpace: 'normal',
  overflow: 'visible',
};
