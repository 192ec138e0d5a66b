import { z } from 'zod/v3';
import {
  emptyAsAbsent,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  labelKeyProblem,
  labels,
  labelValue,
  quantity,
  quantityValue,
} from './kubernetesNames';
import { parseInput } from './parseInput';

/** The InputError message of parsing `value` as the field `field`, or 'ok'. */
function check(schema: z.ZodTypeAny, value: unknown, field = 'name'): string {
  try {
    parseInput(z.object({ [field]: schema }), { [field]: value });
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('dns1123Label', () => {
  it.each(['a', 'orders', 'orders-api', 'a1', '1a', 'x'.repeat(63)])(
    'accepts %s',
    value => {
      expect(check(dns1123Label(), value)).toBe('ok');
    },
  );

  it.each([
    ['', 'name: must not be empty'],
    [
      'Orders',
      `name: "Orders" is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`,
    ],
    ['-orders', 'name: "-orders" is not a DNS-1123 label'],
    ['orders-', 'name: "orders-" is not a DNS-1123 label'],
    ['orders_api', 'name: "orders_api" is not a DNS-1123 label'],
    ['orders.api', 'name: "orders.api" is not a DNS-1123 label'],
    ['x'.repeat(64), `name: "${'x'.repeat(64)}" is longer than 63 characters`],
    [42, 'name: must be a string, got 42'],
    [undefined, 'name: is required'],
  ])('rejects %j', (value, message) => {
    expect(check(dns1123Label(), value)).toContain(message);
  });

  it('applies a tighter maximum, with its reason', () => {
    expect(
      check(
        dns1123Label({ maxLength: 53, maxLengthReason: '(a Helm release)' }),
        'x'.repeat(54),
      ),
    ).toBe(
      `name: "${'x'.repeat(54)}" is longer than 53 characters (a Helm release)`,
    );
  });
});

describe('dns1035Label', () => {
  it.each(['a', 'orders-api', 'a1'])('accepts %s', value => {
    expect(check(dns1035Label(), value)).toBe('ok');
  });
  it.each([
    ['1orders', 'name: "1orders" is not a DNS-1035 label'],
    ['Orders', 'name: "Orders" is not a DNS-1035 label'],
    ['orders-', 'name: "orders-" is not a DNS-1035 label'],
  ])('rejects %j', (value, message) => {
    expect(check(dns1035Label(), value)).toContain(message);
  });
});

describe('dns1123Subdomain', () => {
  it.each(['default', 'team-a', 'team.a', 'a.b.c', 'gp3'])('accepts %s', v => {
    expect(check(dns1123Subdomain(), v, 'project')).toBe('ok');
  });
  it.each([
    ['', 'project: must not be empty'],
    ['Team', 'project: "Team" is not a DNS-1123 subdomain'],
    ['a..b', 'project: "a..b" is not a DNS-1123 subdomain'],
    ['.a', 'project: ".a" is not a DNS-1123 subdomain'],
    ['a'.repeat(254), 'is longer than 253 characters'],
  ])('rejects %j', (value, message) => {
    expect(check(dns1123Subdomain(), value, 'project')).toContain(message);
  });
});

describe('labelKeyProblem', () => {
  it.each(['team', 'app.kubernetes.io/part-of', 'example.com/Team_Name', 'a'])(
    'accepts %s',
    key => {
      expect(labelKeyProblem(key)).toBeUndefined();
    },
  );

  it.each([
    [
      '',
      "label key '' is invalid; the name (after an optional prefix and '/') must be 1-63 characters",
    ],
    ['-team', "label key '-team' is invalid"],
    ['Example.com/team', "label key 'Example.com/team' has an invalid prefix"],
    ['/team', "label key '/team' has an invalid prefix"],
    ['example.com/', "label key 'example.com/' is invalid"],
    ['x'.repeat(64), 'is invalid'],
  ])('rejects %j', (key, message) => {
    expect(labelKeyProblem(key)).toContain(message);
  });
});

describe('labels', () => {
  it('accepts valid keys and values', () => {
    expect(
      check(labels(), { team: 'checkout', 'app.kubernetes.io/part-of': '' }),
    ).toBe('ok');
  });

  it.each([
    [{ '-team': 'a' }, `labels: label key '-team' is invalid`],
    [{ team: '-a' }, 'labels.team: "-a" is not a label value'],
    [{ team: 'x'.repeat(64) }, 'labels.team: "xxx'],
    [{ team: 3 }, 'labels.team: must be a string, got 3'],
  ])('rejects %j', (value, message) => {
    expect(check(labels(), value, 'labels')).toContain(message);
  });

  it.each(['', 'a', 'Team_A.1', 'x'.repeat(63)])('label value %j', value => {
    expect(check(labelValue(), value)).toBe('ok');
  });
});

describe('quantity', () => {
  it.each([
    ['1Gi', 2 ** 30],
    ['500Mi', 500 * 2 ** 20],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['10G', 1e10],
    ['1e9', 1e9],
    ['100m', 0.1],
    ['ten', undefined],
    ['1GB', undefined],
    ['Gi', undefined],
  ])('quantityValue(%s) = %s', (text, value) => {
    expect(quantityValue(text)).toBe(value);
  });

  it.each([
    ['1GB', 'size: "1GB" is not a Kubernetes quantity'],
    ['', 'size: must not be empty'],
  ])('rejects %j', (value, message) => {
    expect(check(quantity(), value, 'size')).toContain(message);
  });
});

describe('emptyAsAbsent', () => {
  const schema = z.object({ namespace: emptyAsAbsent(dns1123Label()) });
  it.each([
    [{ namespace: '' }, {}],
    [{}, {}],
    [{ namespace: 'shop' }, { namespace: 'shop' }],
  ])('%j → %j', (input, output) => {
    expect(parseInput(schema, input)).toEqual(output);
  });
  it('applies the rule to anything else', () => {
    expect(() => parseInput(schema, { namespace: 'Shop' })).toThrow(
      'namespace: "Shop" is not a DNS-1123 label',
    );
  });
});
