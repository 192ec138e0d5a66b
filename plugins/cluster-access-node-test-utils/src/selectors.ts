import { labelSelectorMatcher } from '@runway/plugin-runway-common';
import { FakeObject } from './types';
import { FakeStatusError } from './routing';

/** A predicate over objects for a request's `labelSelector` and `fieldSelector`. */
export type ObjectFilter = (object: FakeObject) => boolean;

/**
 * `metadata.name=x,metadata.namespace!=y` as a predicate: the field selectors every
 * resource supports (`metadata.name`, `metadata.namespace`).
 *
 * @throws Error naming a term it does not support.
 */
export function parseFieldSelector(selector: string | null): ObjectFilter {
  if (!selector) return () => true;
  const tests = selector.split(',').map(raw => {
    const m = raw
      .trim()
      .match(/^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(\S*)$/);
    if (!m) {
      throw new Error(`unsupported field selector term '${raw.trim()}'`);
    }
    const [, field, op, value] = m;
    const read = (o: FakeObject) =>
      field === 'metadata.name' ? o.metadata.name : o.metadata.namespace ?? '';
    return (o: FakeObject) =>
      op === '!=' ? read(o) !== value : read(o) === value;
  });
  return object => tests.every(t => t(object));
}

/** The filter of a list or watch request; a selector it cannot parse is a 400. */
export function requestFilter(url: URL): ObjectFilter {
  try {
    const labels = labelSelectorMatcher(url.searchParams.get('labelSelector'));
    const fields = parseFieldSelector(url.searchParams.get('fieldSelector'));
    return object => labels(object.metadata.labels) && fields(object);
  } catch (error) {
    throw new FakeStatusError(400, 'BadRequest', (error as Error).message);
  }
}
