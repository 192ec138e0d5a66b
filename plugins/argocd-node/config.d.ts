export interface Config {
  /**
   * Argo CD. Runway's keys are `instances` and `gitops`; the community Argo CD plugins read
   * other keys of the same block (`appLocatorMethods`, `username`, `password`, ...), which
   * this schema leaves alone.
   */
  argocd?: {
    /**
     * The Argo CD instances Runway registers Applications in. Templates pick one by name;
     * the first is the default. With none, the backend starts and `argocd:app:create`
     * fails with a message saying what to configure.
     */
    instances?: Array<{
      /** Name templates pick the instance by, e.g. `main`. */
      name: string;
      /** Base URL of the Argo CD server (UI and API), e.g. `https://argocd.example.com`. */
      url: string;
      /**
       * API token of an Argo CD account with the `apiKey` capability, sent as a bearer
       * token. Needed by the `api` mode; the `gitops` mode makes no Argo CD call.
       * @visibility secret
       */
      token?: string;
      /** Timeout of one API request, in seconds. Default 20. */
      timeoutSeconds?: number;
      /** Attempts per request when Argo CD times out or answers 429 or 5xx. Default 4. */
      maxAttempts?: number;
    }>;
    /**
     * The GitOps repository of the `gitops` mode: Applications are committed there through a
     * pull request (with the `integrations.github` credentials of its host), and an Argo CD
     * app-of-apps applies what is merged.
     */
    gitops?: {
      /** The repository: `https://github.com/<owner>/<repo>` (or a GitHub Enterprise host). */
      repoUrl: string;
      /** Branch pull requests target. Default `main`. */
      baseBranch?: string;
      /**
       * Path of each Application's file. Placeholders: `{appName}`, `{environment}`,
       * `{applicationName}` (`<appName>-<environment>`), `{instance}`, `{project}`; must use
       * `{environment}` or `{applicationName}`. Default `apps/{environment}/{appName}.yaml`.
       */
      pathPattern?: string;
      /** Path of an AppProject's file (with `createProject`). Default `projects/{project}.yaml`. */
      projectPathPattern?: string;
      /** `metadata.namespace` of the committed manifests: Argo CD's namespace. Default `argocd`. */
      applicationNamespace?: string;
    };
  };
}
