/** Polls until the check holds, for at most 2 s. */
export async function waitFor(check: () => boolean) {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise(r => setTimeout(r, 20));
  }
  throw new Error('condition not met within 2 s');
}

export type WatchLine = { type: string; object: any };

/**
 * Opens a watch and collects its events until `count` arrived or the server ended it.
 * `opened` resolves once the response headers are in.
 */
export function watchEvents(
  url: string,
  count: number,
  init: RequestInit = {},
): { events: Promise<WatchLine[]>; opened: Promise<void> } {
  let markOpened: () => void = () => {};
  const opened = new Promise<void>(resolve => {
    markOpened = resolve;
  });
  const events = (async () => {
    const controller = new AbortController();
    const res = await fetch(url, { ...init, signal: controller.signal });
    markOpened();
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const received: WatchLine[] = [];
    while (received.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value);
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      received.push(...lines.filter(Boolean).map(l => JSON.parse(l)));
    }
    controller.abort();
    return received.slice(0, count);
  })();
  return { events, opened };
}
