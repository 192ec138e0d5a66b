/*
 * PromQL read with Prometheus' own grammar (@prometheus-io/lezer-promql, the parser of
 * Prometheus' web UI): the vector selectors of a query and its syntax errors.
 */
import { parser } from '@prometheus-io/lezer-promql';

export type LabelMatcher = { label: string; op: string; value: string };
export type VectorSelector = { metric?: string; matchers: LabelMatcher[] };

/** Where the query does not parse (empty when it does). */
export function promqlSyntaxErrors(query: string): string[] {
  const errors: string[] = [];
  parser.parse(query).iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push(
          `syntax error at character ${node.from + 1}: ${JSON.stringify(
            query.slice(Math.max(0, node.from - 20), node.from + 20),
          )}`,
        );
      }
    },
  });
  return errors;
}

/** Every vector selector of a query: its metric name and label matchers. */
export function vectorSelectors(query: string): VectorSelector[] {
  const selectors: VectorSelector[] = [];
  const text = (from: number, to: number) => query.slice(from, to);
  parser.parse(query).iterate({
    enter(node) {
      if (node.name !== 'VectorSelector') return undefined;
      const selector: VectorSelector = { matchers: [] };
      const cursor = node.node.cursor();
      cursor.iterate(child => {
        if (child.name === 'Identifier' && selector.metric === undefined) {
          selector.metric = text(child.from, child.to);
        }
        if (
          child.name === 'UnquotedLabelMatcher' ||
          child.name === 'QuotedLabelMatcher'
        ) {
          const label =
            child.node.getChild('LabelName') ??
            child.node.getChild('QuotedLabelName');
          const op = child.node.getChild('MatchOp');
          const value = child.node.getChild('StringLiteral');
          if (label && op && value) {
            selector.matchers.push({
              label: text(label.from, label.to).replace(/^"|"$/g, ''),
              op: text(op.from, op.to),
              value: JSON.parse(
                text(value.from, value.to).replace(/^'|'$/g, '"'),
              ),
            });
          }
          return false;
        }
        return undefined;
      });
      selectors.push(selector);
      return false;
    },
  });
  return selectors;
}
