/**
 * A URL reader that serves a repository's GitHub URLs from a local checkout.
 *
 * @packageDocumentation
 */
export { LocalCheckoutUrlReader } from './LocalCheckoutUrlReader';
export { localCheckoutUrlReaderFactory } from './service';
