import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';
import {
  describeIssues,
  formatPath,
  parseInput,
  parseValue,
} from './parseInput';

describe('formatPath', () => {
  it.each([
    [[], 'input'],
    [['appName'], 'appName'],
    [['environments', 0, 'name'], 'environments[0].name'],
    [['labels', 'app.kubernetes.io/name'], 'labels["app.kubernetes.io/name"]'],
  ])('%j → %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

const schema = z
  .object({
    name: z.string().regex(/^[a-z]+$/, 'is not lower-case letters'),
    mode: z.enum(['api', 'gitops']).default('api'),
    count: z
      .number()
      .int('is not an integer')
      .min(1, 'is less than 1')
      .optional(),
    items: z
      .array(z.object({ id: z.string() }))
      .min(1, 'must list at least one item')
      .optional(),
    a: z.string().optional(),
    b: z.string().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.a && input.b) {
      ctx.addIssue({
        code: 'custom',
        path: ['a'],
        message: 'give either a or b, not both',
      });
    }
  });

describe('parseInput', () => {
  it('applies defaults', () => {
    expect(parseInput(schema, { name: 'x' })).toEqual({
      name: 'x',
      mode: 'api',
    });
  });

  it.each([
    [{ name: 'X' }, 'name: "X" is not lower-case letters'],
    [{}, 'name: is required'],
    [{ name: 5 }, 'name: must be a string, got 5'],
    [
      { name: 'x', mode: 'push' },
      `mode: must be 'api' or 'gitops', got "push"`,
    ],
    [{ name: 'x', count: 1.5 }, 'count: 1.5 is not an integer'],
    [{ name: 'x', count: 0 }, 'count: 0 is less than 1'],
    [{ name: 'x', items: [] }, 'items: must list at least one item'],
    [{ name: 'x', items: [{ id: 1 }] }, 'items[0].id: must be a string, got 1'],
    [{ name: 'x', a: 'a', b: 'b' }, 'a: give either a or b, not both'],
    ['a string', 'input: must be an object, got "a string"'],
  ])('%j: %s', (input, message) => {
    expect(() => parseInput(schema, input)).toThrow(InputError);
    expect(() => parseInput(schema, input)).toThrow(message);
  });

  it('names every field that breaks a rule, once each', () => {
    expect(() =>
      parseInput(schema, { name: 'X', count: 0, mode: 'p' }),
    ).toThrow(
      `name: "X" is not lower-case letters; mode: must be 'api' or 'gitops', got "p"; count: 0 is less than 1`,
    );
  });

  it('gives one message per field', () => {
    const twoRules = z.object({
      name: z
        .string()
        .max(2, 'is too long')
        .regex(/^[a-z]+$/, 'is not letters'),
    });
    const result = twoRules.safeParse({ name: 'ABC' });
    expect(result.success).toBe(false);
    expect(describeIssues((result as any).error, { name: 'ABC' })).toEqual([
      'name: "ABC" is too long',
    ]);
  });
});

describe('a rule that also takes an empty string', () => {
  const optionalName = z.object({
    storageClass: z
      .string()
      .regex(/^[a-z0-9]+$/, 'is not lower-case letters and digits')
      .or(z.literal(''))
      .optional(),
  });
  it.each([
    [
      { storageClass: 'Gp3' },
      'storageClass: "Gp3" is not lower-case letters and digits',
    ],
    [{ storageClass: 3 }, 'storageClass: must be a string, got 3'],
  ])('%j: names the rule, not the union', (input, message) => {
    expect(() => parseInput(optionalName, input)).toThrow(message);
  });
  it('accepts the empty string and absence', () => {
    expect(parseInput(optionalName, { storageClass: '' })).toEqual({
      storageClass: '',
    });
    expect(parseInput(optionalName, {})).toEqual({});
  });
});

describe('parseValue', () => {
  const branch = z.string().regex(/^\S+$/, 'must not contain whitespace');
  it('returns the parsed value', () => {
    expect(parseValue('argocd.gitops.baseBranch', branch, 'main')).toBe('main');
  });
  it('names the field as given', () => {
    expect(() =>
      parseValue('argocd.gitops.baseBranch', branch, 'my branch'),
    ).toThrow(
      'argocd.gitops.baseBranch: "my branch" must not contain whitespace',
    );
    expect(() =>
      parseValue('labels', z.record(z.string()), { team: 1 }),
    ).toThrow('labels.team: must be a string, got 1');
  });
});
