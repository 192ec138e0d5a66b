import { parseFieldSelector, requestFilter } from './selectors';
import { FakeObject } from './types';

describe('parseFieldSelector', () => {
  const object: FakeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'orders', namespace: 'shop' },
  };
  it.each([
    [null, true],
    ['metadata.name=orders', true],
    ['metadata.name==orders', true],
    ['metadata.name=payments', false],
    ['metadata.name!=payments', true],
    ['metadata.name=orders,metadata.namespace=shop', true],
    ['metadata.name=orders,metadata.namespace=other', false],
  ])('%s matches: %s', (selector, expected) => {
    expect(parseFieldSelector(selector)(object)).toBe(expected);
  });

  it('rejects fields it does not support', () => {
    expect(() => parseFieldSelector('status.phase=Running')).toThrow(
      "unsupported field selector term 'status.phase=Running'",
    );
  });
});

describe('requestFilter', () => {
  const object: FakeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'orders', namespace: 'shop', labels: { app: 'orders' } },
  };
  const filter = (query: string) =>
    requestFilter(new URL(`http://fake/api/v1/configmaps?${query}`));

  it('combines the label and the field selector', () => {
    expect(filter('labelSelector=app%3Dorders')(object)).toBe(true);
    expect(
      filter('labelSelector=app%3Dorders&fieldSelector=metadata.name%3Dx')(
        object,
      ),
    ).toBe(false);
    expect(filter('labelSelector=!app')(object)).toBe(false);
  });

  it('answers a selector it cannot parse with a 400 naming it', () => {
    expect(() => filter('labelSelector=app%20in%20(a')).toThrow(
      expect.objectContaining({
        code: 400,
        reason: 'BadRequest',
        message:
          "invalid label selector 'app in (a': missing ')' after the set of 'app'",
      }),
    );
  });
});
