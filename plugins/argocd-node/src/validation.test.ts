import { parseValue } from '@runway/plugin-runway-common';
import { gitToken, repoPath, syncOption } from './validation';

describe('gitToken', () => {
  it.each(['HEAD', 'main', 'v1.2.3', 'feature/x', '0a1b2c'])(
    'accepts %s',
    value => {
      expect(parseValue('targetRevision', gitToken(), value)).toBe(value);
    },
  );

  it.each([
    ['', 'targetRevision: must not be empty'],
    [
      'main branch',
      'targetRevision: "main branch" must not contain whitespace or control characters',
    ],
    ['main\n', 'targetRevision: "main\\n" must not contain whitespace'],
    [
      'a\u0007b',
      'targetRevision: "a\\u0007b" must not contain whitespace or control characters',
    ],
  ])('rejects %j', (value, message) => {
    expect(() => parseValue('targetRevision', gitToken(), value)).toThrow(
      message,
    );
  });
});

describe('repoPath', () => {
  it.each(['chart', '.', 'deploy/chart', 'charts/orders-api'])(
    'accepts %s',
    value => {
      expect(parseValue('path', repoPath(), value)).toBe(value);
    },
  );

  it.each([
    [
      '/chart',
      "path: '/chart' must be relative to the repository root (no leading '/')",
    ],
    [
      '../chart',
      "path: '../chart' must stay inside the repository (no '..' segments)",
    ],
    [
      'a/../../b',
      "path: 'a/../../b' must stay inside the repository (no '..' segments)",
    ],
    [
      'my chart',
      'path: "my chart" must not contain whitespace or control characters',
    ],
  ])('rejects %j', (value, message) => {
    expect(() => parseValue('path', repoPath(), value)).toThrow(message);
  });
});

describe('syncOption', () => {
  it.each(['CreateNamespace=true', 'ServerSideApply=true', 'Prune=confirm'])(
    'accepts %s',
    value => {
      expect(parseValue('syncOption', syncOption(), value)).toBe(value);
    },
  );
  it.each(['CreateNamespace', '=true', 'Create Namespace=true', 'A= b'])(
    'rejects %j',
    value => {
      expect(() => parseValue('syncOption', syncOption(), value)).toThrow(
        `syncOption: ${JSON.stringify(
          value,
        )} must have the form Key=Value, e.g. CreateNamespace=true`,
      );
    },
  );
});
