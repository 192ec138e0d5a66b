export interface Config {
  runway?: {
    /**
     * Serve `<url>/blob/<ref>/…` and `<url>/tree/<ref>/…` from a local checkout instead of the
     * network, for local development: templates are registered by URL, as in production,
     * and their `fetch:template` steps may then use the shared parts in sibling folders.
     */
    localCheckout?: {
      /** Set false to turn it off in a later config file (production). Default true. */
      enabled?: boolean;
      /** The repository's URL, e.g. https://github.com/example-org/runway */
      url: string;
      /** The checkout's folder, relative to the backend's working directory. */
      path: string;
    };
  };
}
