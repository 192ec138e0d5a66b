export interface Config {
  runway?: {
    /**
     * Registries runway:dockerfile:pin reads base images' digests from in another way than
     * anonymously over HTTPS from the registry the image names: a mirror or pull-through
     * cache (which must serve the same manifests, byte for byte, so that the digest is the
     * upstream one), credentials, or a plain-HTTP local registry. A registry not listed is
     * asked directly (Docker Hub through registry-1.docker.io), anonymously.
     */
    registries?: Array<{
      /**
       * The registry as image references name it: `docker.io` for Docker Hub images
       * (`node:22`), `gcr.io`, `ghcr.io`, `localhost:5000`.
       */
      host: string;
      /**
       * Base URL of the OCI Distribution API answering for that registry's images, e.g. an
       * ECR pull-through cache `https://123456789012.dkr.ecr.eu-west-1.amazonaws.com`.
       * Default: `https://<host>` (`http://<host>` with `insecure`).
       */
      url?: string;
      /** Path prepended to every repository on `url`, e.g. `docker-hub` (an ECR pull-through cache rule's prefix). */
      repositoryPrefix?: string;
      /** Allow plain HTTP (`url` and the token service): a local or test registry only. Default false. */
      insecure?: boolean;
      /** User for the registry's Basic challenge or its token service. */
      username?: string;
      /**
       * Password or access token of `username`.
       * @visibility secret
       */
      password?: string;
    }>;
  };
}
