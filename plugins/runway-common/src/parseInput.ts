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
 * `environments[0].name`, `labels["app.kubernetes.io/name"]`; `input` for the root.
 *
 * @public
 */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
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
export function describeIssue(issue: z.ZodIssue, input: unknown): string {
  const field = formatPath(issue.path);
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
    default:
      if (
        value === undefined ||
        value === '' ||
        (typeof value === 'object' && value !== null)
      ) {
        return `${field}: ${issue.message}`;
      }
      return `${field}: ${show(value)} ${issue.message}`;
  }
}

/**
 * The messages of a ZodError, one per field (the first rule each field breaks), in order.
 *
 * @public
 */
export function describeIssues(error: z.ZodError, input: unknown): string[] {
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const issue of error.issues) {
    const key = formatPath(issue.path);
    if (seen.has(key)) continue;
    seen.add(key);
    messages.push(describeIssue(issue, input));
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
