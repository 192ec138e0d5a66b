import { createServiceFactory } from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { LocalCheckoutUrlReader } from './LocalCheckoutUrlReader';

/**
 * Adds the local checkout reader to the backend's URL readers when
 * `runway.localCheckout` is configured (development); does nothing otherwise.
 *
 * @public
 */
export const localCheckoutUrlReaderFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: {},
  async factory() {
    return ({ config, logger }) => {
      const local = config.getOptionalConfig('runway.localCheckout');
      if (!local || local.getOptionalBoolean('enabled') === false) return [];
      const reader = new LocalCheckoutUrlReader({
        url: local.getString('url'),
        path: local.getString('path'),
      });
      logger.info(`Serving ${local.getString('url')} from ${reader}`);
      return [
        { reader, predicate: (url: URL) => reader.handles(url.toString()) },
      ];
    };
  },
});
