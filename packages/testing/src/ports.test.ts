import { createServer } from 'node:net';
import { ephemeralPortRange, freePort } from './ports';

describe('ephemeralPortRange', () => {
  it.each([
    ['32768\t60999\n', [32768, 60999]],
    ['49152 65535', [49152, 65535]],
    ['', [32768, 60999]],
    ['garbage', [32768, 60999]],
    ['40000 30000', [32768, 60999]],
  ])('reads %j as %j', (text, range) => {
    expect(ephemeralPortRange(text)).toEqual(range);
  });
});

describe('freePort', () => {
  it('hands out distinct ports below the ephemeral range that can be listened on', async () => {
    const [ephemeralLow] = ephemeralPortRange();
    const ports = await Promise.all(
      Array.from({ length: 50 }, () => freePort()),
    );
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralLow);
    }
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports[0], '127.0.0.1', resolve);
    });
    await new Promise(resolve => server.close(resolve));
  });
});
