import { parseNotices } from './PrometheusClient';

describe('parseNotices', () => {
  it.each([
    ['no annotations', {}, []],
    [
      'infos, then warnings',
      { infos: ['synthetic series'], warnings: ['partial data'] },
      ['synthetic series', 'partial data'],
    ],
    [
      'anything but non-empty strings is left out',
      { infos: ['a', '', 3, null, { text: 'b' }], warnings: 'not a list' },
      ['a'],
    ],
  ])('%s', (_name, annotations, expected) => {
    expect(
      parseNotices({
        status: 'success',
        data: { resultType: 'vector', result: [] },
        ...annotations,
      }),
    ).toEqual(expected);
  });
});
