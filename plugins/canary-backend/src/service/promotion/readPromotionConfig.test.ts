import { ConfigReader } from '@backstage/config';
import { readPromotionConfig } from './PromotionService';

describe('readPromotionConfig', () => {
  it.each<[string, object, object]>([
    ['nothing configured: api mode', {}, { mode: 'api' }],
    ['an empty canary section', { canary: {} }, { mode: 'api' }],
    ['api mode', { canary: { promotion: { mode: 'api' } } }, { mode: 'api' }],
    [
      'gitops mode with an instance',
      { canary: { promotion: { mode: 'gitops', instance: 'main' } } },
      { mode: 'gitops', instance: 'main' },
    ],
    [
      'an instance alone: api mode on it',
      { canary: { promotion: { instance: 'eu' } } },
      { mode: 'api', instance: 'eu' },
    ],
  ])('%s', (_, data, expected) => {
    expect(readPromotionConfig(new ConfigReader(data))).toEqual(expected);
  });

  it.each<[string, object, string]>([
    [
      'an unknown mode',
      { canary: { promotion: { mode: 'pull-request' } } },
      "canary.promotion.mode must be 'api' or 'gitops', not 'pull-request'",
    ],
    [
      'a mode in capitals',
      { canary: { promotion: { mode: 'GitOps' } } },
      "canary.promotion.mode must be 'api' or 'gitops', not 'GitOps'",
    ],
  ])(
    'refuses %s, naming the key and the allowed values',
    (_, data, message) => {
      expect(() => readPromotionConfig(new ConfigReader(data))).toThrow(
        new Error(message),
      );
    },
  );

  it('refuses a mode that is not a string, naming the key', () => {
    expect(() =>
      readPromotionConfig(
        new ConfigReader({ canary: { promotion: { mode: 1 } } }),
      ),
    ).toThrow(
      new Error(
        "Invalid type in config for key 'canary.promotion.mode' in 'mock-config', got number, wanted string",
      ),
    );
  });
});
