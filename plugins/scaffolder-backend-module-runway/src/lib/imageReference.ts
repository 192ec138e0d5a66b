/*
 * Image references as Docker reads them: `[registry/]repository[:tag][@digest]`. Pure.
 */

/** Docker Hub, as image references name it when they name no registry. */
export const DOCKER_HUB = 'docker.io';

/** A reference split into the parts a registry request needs. */
export type ImageReference = {
  /** The registry host (with port), `docker.io` for Docker Hub whichever alias was written. */
  registry: string;
  /** The repository on that registry: `library/node` for Docker Hub's official `node`. */
  repository: string;
  /** The tag; `latest` when none was written. */
  tag: string;
  /** Whether the reference wrote a tag (`node:22`) or not (`node`). */
  tagged: boolean;
  /** `sha256:…` when the reference is already pinned. */
  digest?: string;
};

const HUB_ALIASES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
]);

// The grammar of distribution/reference, reduced to what a FROM line may hold.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The canonical name of a registry host: Docker Hub's aliases are `docker.io`. */
export function normalizeRegistry(host: string): string {
  const lower = host.toLowerCase();
  return HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/**
 * Parses an image reference, or throws an Error saying what is wrong with it. The first
 * path component is a registry when it has a `.` or a `:`, or is `localhost` (Docker's
 * rule); otherwise the image is on Docker Hub, whose one-component names are `library/…`.
 */
export function parseImageReference(text: string): ImageReference {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      throw new Error(`'${text}' has an invalid digest '${digest}'`);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) {
      throw new Error(`'${text}' has an invalid tag '${tag}'`);
    }
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0];
  if (
    parts.length > 1 &&
    (first.includes('.') || first.includes(':') || first === 'localhost')
  ) {
    registry = normalizeRegistry(parts.shift()!);
    if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(registry)) {
      throw new Error(`'${text}' has an invalid registry '${first}'`);
    }
  }
  if (parts.length === 0 || parts.some(part => !COMPONENT.test(part))) {
    throw new Error(
      `'${text}' is not an image reference (lowercase name components separated by /)`,
    );
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  return {
    registry,
    repository: parts.join('/'),
    tag: tag ?? 'latest',
    tagged: tag !== undefined,
    ...(digest ? { digest } : {}),
  };
}
