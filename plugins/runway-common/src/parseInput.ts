import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

/*
 * Input checked against a zod schema, with an InputError that names each field and the
 * rule it breaks. Messages are written to follow the value:
 *   - a rule (`.regex`, `.max`, …):  `environments[0].name: "Prod" is not a DNS-1123 label (…)`
 *   - a missing or mistyped field:   `name: is required`, `instances: must be a number, got "3"`
 *   - an enum:                       `mode: must be 'api' or 'gitops', got "push"`
 *   - a cross-field rule (`superRefine`, code `custom`) writes its whole message:
 *                                    `cluster: give either cluster or environments, not both`
 */

const show = (value: unknown) => JSON.stringify(value);

/**
 * `environments[0].name`, `labels["app.kubernetes.io/name"]`, after `root` if given;
 * `input` for the root of an unnamed input.
 *
 * @public
 */
export function formatPath(
  path: ReadonlyArray<string | number>,
  root = '',
): string {
  let out = root;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${show(part)}]`;
  }
  return out || 'input';
}

function valueAt(input: unknown, path: ReadonlyArray<string | number>) {
  let value: any = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = value[part];
  }
  return value;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/**
 * One issue as `<field>: <what is wrong>`.
 *
 * @public
 */
export function describeIssue(
  issue: z.ZodIssue,
  input: unknown,
  root = '',
): string {
  const field = formatPath(issue.path, root);
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `${field}: is required`;
      if (issue.received === 'float' && !issue.message.startsWith('Expected')) {
        return `${field}: ${show(value)} ${issue.message}`;
      }
      return `${field}: must be ${
        TYPE_NAMES[issue.expected] ?? issue.expected
      }, got ${show(value)}`;
    case 'invalid_enum_value':
      return `${field}: must be ${issue.options
        .map(option => `'${String(option)}'`)
        .join(' or ')}, got ${show(value)}`;
    case 'custom':
      return `${field}: ${issue.message}`;
    case 'invalid_union': {
      // Describe the rule the value broke, not "Invalid input": the first branch issue
      // about the value (`rule.or(z.literal(''))`), else about its type.
      const issues = issue.unionErrors.flatMap(e => e.issues);
      const inner =
        issues.find(
          i => i.code !== 'invalid_type' && i.code !== 'invalid_literal',
        ) ?? issues.find(i => i.code === 'invalid_type');
      if (inner && issue.message === 'Invalid input') {
        return describeIssue(inner, input, root);
      }
      break;
    }
    default:
      break;
  }
  if (
    value === undefined ||
    value === '' ||
    (typeof value === 'object' && value !== null)
  ) {
    return `${field}: ${issue.message}`;
  }
  return `${field}: ${show(value)} ${issue.message}`;
}

/**
 * The messages of a ZodError, one per field (the first rule each field breaks), in order.
 *
 * @public
 */
export function describeIssues(
  error: z.ZodError,
  input: unknown,
  root = '',
): string[] {
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const issue of error.issues) {
    const key = formatPath(issue.path, root);
    if (seen.has(key)) continue;
    seen.add(key);
    messages.push(describeIssue(issue, input, root));
  }
  return messages;
}

/**
 * The input parsed by the schema (defaults applied), or an InputError whose message names
 * every field that breaks a rule, and the rule. Pure.
 *
 * @public
 */
export function parseInput<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InputError(describeIssues(result.error, input).join('; '));
}

/**
 * One value parsed by a schema, its errors named after `field` (a config key such as
 * `argocd.gitops.baseBranch`, or a field of a larger input). Pure.
 *
 * @public
 */
export function parseValue<S extends z.ZodTypeAny>(
  field: string,
  schema: S,
  value: unknown,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InputError(describeIssues(result.error, value, field).join('; '));
}
