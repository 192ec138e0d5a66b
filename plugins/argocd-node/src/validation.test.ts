import { InputError } from '@backstage/errors';
import {
  assertDnsLabel,
  assertDnsSubdomain,
  assertLabelKey,
  assertLabelValue,
  assertRepoPath,
  assertToken,
} from './validation';

describe('assertDnsLabel', () => {
  it.each(['a', 'orders', 'orders-api', 'a1', '1a', 'x'.repeat(63)])(
    'accepts %s',
    value => {
      expect(() => assertDnsLabel('appName', value)).not.toThrow();
    },
  );

  it.each([
    ['', /appName must not be empty/],
    ['Orders', /appName 'Orders' must be a DNS-1123 label/],
    ['-orders', /must be a DNS-1123 label/],
    ['orders-', /must be a DNS-1123 label/],
    ['orders_api', /must be a DNS-1123 label/],
    ['orders.api', /must be a DNS-1123 label/],
    ['x'.repeat(64), /is 64 characters long; it must be at most 63/],
  ])('rejects %j', (value, message) => {
    expect(() => assertDnsLabel('appName', value)).toThrow(InputError);
    expect(() => assertDnsLabel('appName', value)).toThrow(message);
  });

  it('applies a tighter maximum when given', () => {
    expect(() => assertDnsLabel('appName', 'x'.repeat(54), 53)).toThrow(
      /appName '.*' is 54 characters long; it must be at most 53/,
    );
  });
});

describe('assertDnsSubdomain', () => {
  it.each(['default', 'team-a', 'team.a', 'a.b.c'])('accepts %s', value => {
    expect(() => assertDnsSubdomain('project', value)).not.toThrow();
  });

  it.each([
    ['', /project must not be empty/],
    ['Team', /project 'Team' must be a DNS-1123 subdomain/],
    ['a..b', /must be a DNS-1123 subdomain/],
    ['.a', /must be a DNS-1123 subdomain/],
    ['a'.repeat(254), /it must be at most 253/],
  ])('rejects %j', (value, message) => {
    expect(() => assertDnsSubdomain('project', value)).toThrow(message);
  });
});

describe('assertLabelKey', () => {
  it.each(['team', 'app.kubernetes.io/part-of', 'example.com/Team_Name', 'a'])(
    'accepts %s',
    key => {
      expect(() => assertLabelKey('labels', key)).not.toThrow();
    },
  );

  it.each([
    ['', /the name .* must be 1-63 characters/],
    ['-team', /label key '-team' is invalid/],
    ['Example.com/team', /has an invalid prefix/],
    ['/team', /has an invalid prefix/],
    ['example.com/', /label key 'example.com\/' is invalid/],
    ['x'.repeat(64), /is invalid/],
  ])('rejects %j', (key, message) => {
    expect(() => assertLabelKey('labels', key)).toThrow(message);
  });
});

describe('assertLabelValue', () => {
  it.each(['', 'a', 'Team_A.1', 'x'.repeat(63)])('accepts %j', value => {
    expect(() => assertLabelValue('labels', 'team', value)).not.toThrow();
  });

  it.each(['-a', 'a-', 'a b', 'a/b', 'x'.repeat(64)])('rejects %j', value => {
    expect(() => assertLabelValue('labels', 'team', value)).toThrow(
      /labels: the value .* of label 'team' is invalid/,
    );
  });
});

describe('assertToken', () => {
  it.each(['HEAD', 'main', 'v1.2.3', 'feature/x', '0a1b2c'])(
    'accepts %s',
    value => {
      expect(() => assertToken('targetRevision', value)).not.toThrow();
    },
  );

  it.each([
    ['', /targetRevision must not be empty/],
    ['main branch', /must not contain whitespace or control characters/],
    ['main\n', /must not contain whitespace/],
    ['a\u0007b', /control characters/],
  ])('rejects %j', (value, message) => {
    expect(() => assertToken('targetRevision', value)).toThrow(message);
  });
});

describe('assertRepoPath', () => {
  it.each(['chart', '.', 'deploy/chart', 'charts/orders-api'])(
    'accepts %s',
    value => {
      expect(() => assertRepoPath('path', value)).not.toThrow();
    },
  );

  it.each([
    ['/chart', /must be relative to the repository root/],
    ['../chart', /must stay inside the repository/],
    ['a/../../b', /must stay inside the repository/],
    ['my chart', /whitespace/],
  ])('rejects %j', (value, message) => {
    expect(() => assertRepoPath('path', value)).toThrow(message);
  });
});
