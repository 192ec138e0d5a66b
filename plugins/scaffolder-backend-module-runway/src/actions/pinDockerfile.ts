import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { parseInput } from '@runway/plugin-runway-common';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { z } from 'zod/v3';
import { findBaseImages, pinDockerfile } from '../lib/dockerfile';
import { readRegistries } from '../lib/registries';
import { RegistryClient } from '../lib/RegistryClient';
import { examples } from './pinDockerfile.examples';

/**
 * The id of the action that pins a Dockerfile's base images by digest.
 *
 * @public
 */
export const PIN_DOCKERFILE_ACTION_ID = 'runway:dockerfile:pin';

const inputSchema = z.object({
  path: z
    .string()
    .min(1, 'must not be empty')
    .default('Dockerfile')
    .describe(
      "The Dockerfile to pin, relative to the workspace. Default: Dockerfile (the repository's root).",
    ),
});

const imageSchema = z.object({
  line: z.number().describe('Line of the Dockerfile (1-based).'),
  image: z.string().describe('The image as the Dockerfile named it.'),
  kind: z
    .enum(['syntax', 'from'])
    .describe('The # syntax= frontend or a FROM image.'),
});

const outputSchema = z.object({
  pinned: z
    .array(
      imageSchema.extend({
        digest: z
          .string()
          .optional()
          .describe(
            'The digest written after the image (absent in a dry run, which resolves nothing).',
          ),
      }),
    )
    .describe('The images pinned by this run (in a dry run: that would be).'),
  unpinned: z
    .array(
      imageSchema.extend({
        reason: z
          .string()
          .describe(
            'Why it stays as it is: it names a build argument (known only at build time).',
          ),
      }),
    )
    .describe(
      'Images left unpinned, each logged as a warning. Stage names, scratch and images already pinned are not listed.',
    ),
});

/**
 * What `runway:dockerfile:pin` is built from.
 *
 * @public
 */
export type PinDockerfileActionOptions = {
  /** Read for `runway.registries` (mirrors, credentials, plain-HTTP local registries). */
  config: Config;
  /** Registry client tuning; for tests. */
  clientOptions?: {
    /** The fetch to call registries with. Default: the global fetch. */
    fetch?: typeof fetch;
    /** Per request, in milliseconds. Default 20 000. */
    timeoutMs?: number;
    /** Attempts per request when a registry is unreachable or answers 429 or 5xx. Default 3. */
    maxAttempts?: number;
    /** Waits between attempts. */
    sleep?: (ms: number) => Promise<void>;
  };
};

/**
 * `runway:dockerfile:pin`: pins a workspace Dockerfile's base images by digest. Every
 * `FROM image:tag` and the `# syntax=` frontend is resolved through the OCI Distribution API
 * to the digest the registry serves for the tag now (a multi-arch image: its index), and
 * written as `image:tag@sha256:…`, which Dependabot's docker updates keep current.
 * Idempotent (pinned images are left as they are), writes the file once after every image
 * resolved, and in a dry run calls no registry.
 *
 * @public
 */
export function createPinDockerfileAction(
  options: PinDockerfileActionOptions,
): TemplateAction<any, any, 'v2'> {
  const registries = readRegistries(options.config);

  return createTemplateAction({
    id: PIN_DOCKERFILE_ACTION_ID,
    description:
      'Pins the base images of a Dockerfile in the workspace by digest: each FROM image:tag and the # syntax= frontend become image:tag@sha256:<digest of the tag now> (a multi-arch image: its index). Idempotent and dry-runnable.',
    examples,
    supportsDryRun: true,
    schema: {
      input: () => inputSchema,
      output: () => outputSchema,
    },

    async handler(ctx) {
      const { logger } = ctx;
      const { path } = parseInput(inputSchema, ctx.input);
      let file: string;
      try {
        file = resolveSafeChildPath(ctx.workspacePath, path);
      } catch {
        throw new InputError(`path: '${path}' is outside the workspace`);
      }
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new InputError(
            `path: there is no file '${path}' in the workspace`,
          );
        }
        throw error;
      }
      let images: ReturnType<typeof findBaseImages>;
      try {
        images = findBaseImages(text);
      } catch (error) {
        throw new InputError(`path: ${path}, ${(error as Error).message}`);
      }

      const unpinned = images
        .filter(image => image.status === 'variable')
        .map(({ line, image, kind }) => ({
          line,
          image,
          kind,
          reason: 'it names a build argument, known only at build time',
        }));
      for (const image of unpinned) {
        logger.warn(
          `${path}:${image.line}: ${image.image} left unpinned: ${image.reason}`,
        );
      }
      const toPin = images.filter(image => image.status === 'pin');
      const distinct = [...new Set(toPin.map(image => image.image))];
      const client = new RegistryClient({
        ...options.clientOptions,
        registries,
      });

      const digests = new Map<string, string>();
      if (distinct.length === 0) {
        logger.info(`${path}: every base image is pinned already`);
      } else if (ctx.isDryRun) {
        for (const image of distinct) {
          logger.info(
            `Dry run: would pin ${image} in ${path} to the digest of ${client.manifestUrl(
              image,
            )}`,
          );
        }
      } else {
        // Every digest first: a registry that fails leaves the file as it was. A resumed
        // task pins the digests this step resolved before, not newer ones.
        const resolved = await ctx.checkpoint({
          key: `runway-dockerfile-pin:${path}`,
          fn: async () => {
            const found: Record<string, string> = {};
            for (const image of distinct) {
              found[image] = await client.resolveDigest(image);
            }
            return found;
          },
        });
        for (const image of distinct) digests.set(image, resolved[image]);
        // Written beside it and renamed over it: the Dockerfile is the old one or the
        // pinned one, never half-written, and no temporary file stays in the repository.
        const temporary = `${file}.runway-pin`;
        try {
          await writeFile(temporary, pinDockerfile(text, images, digests));
          await rename(temporary, file);
        } finally {
          await rm(temporary, { force: true });
        }
        for (const [image, digest] of digests) {
          logger.info(`${path}: pinned ${image} to ${digest}`);
        }
      }
      ctx.output(
        'pinned',
        toPin.map(({ line, image, kind }) => ({
          line,
          image,
          kind,
          ...(digests.has(image) ? { digest: digests.get(image) } : {}),
        })),
      );
      ctx.output('unpinned', unpinned);
    },
  });
}
