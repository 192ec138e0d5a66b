import { ConflictError, NotFoundError } from '@backstage/errors';
import { ArgoCdClient } from './ArgoCdClient';
import { diffApplication, mergeForUpdate } from './compare';
import { Application, AppProject } from './types';

/**
 * What `ensureApplication` / `ensureProject` did.
 *
 * @public
 */
export type EnsureStatus = 'created' | 'updated' | 'unchanged';

/** @public */
export type EnsureApplicationResult = {
  name: string;
  status: EnsureStatus;
  /** The fields that differed (see `diffApplication`); empty unless updated. */
  differences: string[];
};

/**
 * Makes Argo CD have `desired`: creates it when missing; leaves it alone when it already has
 * the same spec (see `diffApplication`); when the spec differs, updates it if `upsert` is
 * set and otherwise throws a ConflictError naming the differing fields, having changed
 * nothing.
 *
 * @public
 */
export async function ensureApplication(
  client: ArgoCdClient,
  desired: Application,
  options: { upsert?: boolean; signal?: AbortSignal } = {},
): Promise<EnsureApplicationResult> {
  const { name } = desired.metadata;
  const { project } = desired.spec;
  const existing = await client.getApplication(name, {
    project,
    signal: options.signal,
  });
  if (!existing) {
    await client.createApplication(desired, { signal: options.signal });
    return { name, status: 'created', differences: [] };
  }
  const differences = diffApplication(desired, existing);
  if (differences.length === 0) {
    return { name, status: 'unchanged', differences };
  }
  if (!options.upsert) {
    throw new ConflictError(
      `Argo CD Application '${name}' already exists on instance '${
        client.instance.name
      }' with a different spec (differs in ${differences.join(
        ', ',
      )}); nothing was changed. Set upsert: true to update it, or choose another appName`,
    );
  }
  await client.updateApplication(mergeForUpdate(existing, desired), {
    project: existing.spec.project,
    signal: options.signal,
  });
  return { name, status: 'updated', differences };
}

/**
 * Makes sure the AppProject exists. An existing project is used as it is, never changed;
 * a missing one is created from `project` when `create` is set, and is otherwise a
 * NotFoundError saying how to fix it.
 *
 * @public
 */
export async function ensureProject(
  client: ArgoCdClient,
  project: AppProject,
  options: { create: boolean; signal?: AbortSignal },
): Promise<{ name: string; status: 'created' | 'unchanged' }> {
  const { name } = project.metadata;
  const existing = await client.getProject(name, { signal: options.signal });
  if (existing) return { name, status: 'unchanged' };
  if (!options.create) {
    throw new NotFoundError(
      `AppProject '${name}' does not exist on Argo CD instance '${client.instance.name}': create it in Argo CD, choose an existing project, or set createProject: true to let Runway create it`,
    );
  }
  await client.createProject(project, { signal: options.signal });
  return { name, status: 'created' };
}
