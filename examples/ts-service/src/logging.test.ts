import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createLogger } from './logging.ts';
import { LogSink } from './testing.ts';

describe('createLogger', () => {
  it('writes JSON lines with an upper-case level, an ISO time and msg', () => {
    const sink = new LogSink();
    const logger = createLogger('info', sink);
    logger.child({ request_id: 'req-123' }).info({ route: '/x' }, 'in a request');
    logger.debug('below the level');
    logger.warn('careful');

    const records = sink.records();
    const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    assert.ok(records.every(r => isoTime.test(String(r['time']))), 'time is not ISO 8601');
    // No debug line, no pid or hostname.
    assert.deepEqual(
      records.map(r => ({ ...r, time: undefined })),
      [
        { level: 'INFO', time: undefined, request_id: 'req-123', route: '/x', msg: 'in a request' },
        { level: 'WARN', time: undefined, msg: 'careful' },
      ],
    );
  });

  it('serialises errors logged under "error"', () => {
    const sink = new LogSink();
    createLogger('error', sink).error({ error: new TypeError('boom') }, 'failed');
    const error = sink.records()[0]?.['error'] as Record<string, unknown>;
    assert.equal(error['type'], 'TypeError');
    assert.equal(error['message'], 'boom');
    assert.match(String(error['stack']), /logging\.test\.ts/);
  });
});
