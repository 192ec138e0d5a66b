export interface Config {
  /** Settings of the Runway portal frontend. */
  runway?: {
    signIn?: {
      /**
       * Identity provider offered on the sign-in page: `guest` for local development,
       * `github` in production (needs `auth.providers.github` on the backend).
       * @visibility frontend
       */
      provider?: 'guest' | 'github';
    };
  };
}
