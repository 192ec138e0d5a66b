import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from './logging.ts';

function logger(level: LogLevel) {
  const lines: string[] = [];
  const log = createLogger({
    level,
    write: line => {
      lines.push(line);
    },
    now: () => new Date('2030-01-02T03:04:05.678Z'),
  });
  return { log, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line, time, level and msg first', () => {
    const { log, lines } = logger('info');
    log.info('listening', { port: 8080 });
    expect(lines).toEqual([
      '{"time":"2030-01-02T03:04:05.678Z","level":"INFO","msg":"listening","port":8080}\n',
    ]);
  });

  it.each([
    ['debug', ['DEBUG', 'INFO', 'WARN', 'ERROR']],
    ['info', ['INFO', 'WARN', 'ERROR']],
    ['warn', ['WARN', 'ERROR']],
    ['error', ['ERROR']],
  ] as const)('at level %s writes %j', (level, want) => {
    const { log, lines } = logger(level);
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines.map(line => (JSON.parse(line) as { level: string }).level)).toEqual(want);
  });

  it('writes errors as their message, nested too', () => {
    const { log, lines } = logger('info');
    log.error('failed', { error: new Error('disk full'), details: { cause: new TypeError('bad') } });
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ error: 'disk full', details: { cause: 'bad' } });
  });

  it('does not let attributes replace time, level or msg', () => {
    const { log, lines } = logger('info');
    log.info('real', { msg: 'fake', level: 'NONE', time: 'never' });
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '2030-01-02T03:04:05.678Z',
      level: 'INFO',
      msg: 'real',
    });
  });
});
