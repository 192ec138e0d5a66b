import { InputError } from '@backstage/errors';
import { labelKeyProblem, labelValue } from './kubernetesNames';

/*
 * Kubernetes label selectors in their string form (`app=orders,tier!=db,env in (a,b),flag,!old`),
 * parsed and matched as the API server does (k8s.io/apimachinery `labels.Parse`): `=`/`==`/`!=`,
 * set-based `in`/`notin`, existence `key`/`!key`, and `>`/`<` against integers. `!=` and `notin`
 * also match objects without the key. Pure.
 */

/**
 * One requirement of a label selector. `=` is `In` with one value, `!=` is `NotIn` with one.
 *
 * @public
 */
export type LabelSelectorRequirement =
  | { key: string; operator: 'Exists' | 'DoesNotExist' }
  | { key: string; operator: 'In' | 'NotIn'; values: string[] }
  | { key: string; operator: 'Gt' | 'Lt'; value: number };

type Token = { type: 'word' | 'op'; text: string };

const OPERATOR_CHARS = new Set(['=', '!', '<', '>', '(', ')', ',']);

function tokenize(text: string, fail: (problem: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (c === '=' || c === '!') {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        tokens.push({ type: 'op', text: two });
        i += 2;
        continue;
      }
    }
    if (OPERATOR_CHARS.has(c)) {
      tokens.push({ type: 'op', text: c });
      i += 1;
      continue;
    }
    let end = i;
    while (
      end < text.length &&
      !OPERATOR_CHARS.has(text[end]) &&
      !/\s/.test(text[end])
    ) {
      end += 1;
    }
    if (end === i) fail(`unexpected '${c}'`);
    tokens.push({ type: 'word', text: text.slice(i, end) });
    i = end;
  }
  return tokens;
}

/**
 * Parses a label selector. An empty selector has no requirements (it selects everything).
 *
 * @throws InputError naming the selector and what is wrong with it.
 * @public
 */
export function parseLabelSelector(text: string): LabelSelectorRequirement[] {
  const fail: (problem: string) => never = problem => {
    throw new InputError(`invalid label selector '${text}': ${problem}`);
  };
  const tokens = tokenize(text, fail);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const isOp = (t: Token | undefined, op: string) =>
    t?.type === 'op' && t.text === op;
  const checkKey = (key: string) => {
    const problem = labelKeyProblem(key);
    if (problem) fail(problem);
    return key;
  };
  const checkValue = (value: string) => {
    const result = labelValue().safeParse(value);
    if (!result.success) {
      fail(`'${value}' ${result.error.issues[0].message}`);
    }
    return value;
  };
  const word = (what: string) => {
    const t = next();
    if (t?.type !== 'word') fail(`expected ${what}`);
    return t.text;
  };

  const requirements: LabelSelectorRequirement[] = [];
  if (tokens.length === 0) return requirements;
  for (;;) {
    if (isOp(peek(), '!')) {
      next();
      requirements.push({
        key: checkKey(word('a label key after !')),
        operator: 'DoesNotExist',
      });
    } else {
      const key = checkKey(word('a label key'));
      const t = peek();
      if (t === undefined || isOp(t, ',')) {
        requirements.push({ key, operator: 'Exists' });
      } else if (isOp(t, '=') || isOp(t, '==') || isOp(t, '!=')) {
        next();
        // An empty value is valid: `key=` selects objects whose label is empty.
        const valueToken = peek();
        const value =
          valueToken?.type === 'word' ? checkValue(next().text) : '';
        requirements.push({
          key,
          operator: t.text === '!=' ? 'NotIn' : 'In',
          values: [value],
        });
      } else if (isOp(t, '<') || isOp(t, '>')) {
        next();
        const raw = word(`an integer after ${t.text}`);
        if (!/^-?\d+$/.test(raw)) fail(`'${raw}' is not an integer`);
        requirements.push({
          key,
          operator: t.text === '<' ? 'Lt' : 'Gt',
          value: Number(raw),
        });
      } else if (t.type === 'word' && (t.text === 'in' || t.text === 'notin')) {
        next();
        if (!isOp(next(), '(')) fail(`expected '(' after ${t.text}`);
        const values: string[] = [];
        for (;;) {
          const v = peek();
          if (v?.type === 'word') {
            values.push(checkValue(next().text));
          } else if (isOp(v, ',') || isOp(v, ')')) {
            values.push(''); // an empty value in a set, as in `env in (,a)`
          } else {
            fail(`expected a value or ')' in the set of '${key}'`);
          }
          const after = next();
          if (isOp(after, ')')) break;
          if (!isOp(after, ',')) fail(`missing ')' after the set of '${key}'`);
        }
        requirements.push({
          key,
          operator: t.text === 'in' ? 'In' : 'NotIn',
          values,
        });
      } else {
        fail(`unexpected '${t.text}' after '${key}'`);
      }
    }
    if (pos === tokens.length) break;
    if (!isOp(next(), ',')) fail('requirements must be separated by commas');
    if (pos === tokens.length) fail('a requirement is missing after a comma');
  }
  return requirements;
}

/**
 * Whether labels satisfy every requirement.
 *
 * @public
 */
export function matchesLabelSelector(
  requirements: readonly LabelSelectorRequirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.operator) {
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'In':
        return has && r.values.includes(l[r.key]);
      case 'NotIn':
        return !has || !r.values.includes(l[r.key]);
      case 'Gt':
      case 'Lt': {
        if (!has || !/^-?\d+$/.test(l[r.key])) return false;
        const n = Number(l[r.key]);
        return r.operator === 'Gt' ? n > r.value : n < r.value;
      }
      default:
        return false;
    }
  });
}

/**
 * A predicate over labels for a selector string: parsed once, matched many times. An absent
 * or empty selector matches everything.
 *
 * @throws InputError when the selector is invalid.
 * @public
 */
export function labelSelectorMatcher(
  selector: string | null | undefined,
): (labels: Readonly<Record<string, string>> | undefined) => boolean {
  if (!selector) return () => true;
  const requirements = parseLabelSelector(selector);
  return labels => matchesLabelSelector(requirements, labels);
}
