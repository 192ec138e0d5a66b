import type { ControlPlane } from './ControlPlane';

/** How discovery asks the API server. */
type Request = ControlPlane['request'];

type Resource = { name: string; kind: string; namespaced: boolean };

const discovered = new WeakMap<Request, Map<string, Promise<Resource[]>>>();

/** The resources of one group version, from discovery (cached per control plane). */
function resourcesOf(
  request: Request,
  apiVersion: string,
): Promise<Resource[]> {
  let cache = discovered.get(request);
  if (!cache) {
    cache = new Map();
    discovered.set(request, cache);
  }
  let resources = cache.get(apiVersion);
  if (!resources) {
    const path = apiVersion.includes('/')
      ? `/apis/${apiVersion}`
      : `/api/${apiVersion}`;
    resources = request('GET', path).then(({ status, body }) => {
      if (status !== 200) {
        throw new Error(
          `the API server does not serve ${apiVersion} (${status}): is its CRD installed?`,
        );
      }
      return (body.resources as Resource[]).filter(r => !r.name.includes('/'));
    });
    resources.catch(() => cache!.delete(apiVersion));
    cache.set(apiVersion, resources);
  }
  return resources;
}

/**
 * Where objects of a kind live in the API: the collection path (in `namespace` for a namespaced
 * kind) and whether the kind is namespaced, from the server's discovery.
 */
export async function resourcePathOf(
  request: Request,
  apiVersion: string,
  kind: string,
  namespace: string,
): Promise<{ path: string; namespaced: boolean; namespace?: string }> {
  const resource = (await resourcesOf(request, apiVersion)).find(
    r => r.kind === kind,
  );
  if (!resource) {
    throw new Error(`the API server serves no kind ${kind} in ${apiVersion}`);
  }
  const base = apiVersion.includes('/')
    ? `/apis/${apiVersion}`
    : `/api/${apiVersion}`;
  return resource.namespaced
    ? {
        path: `${base}/namespaces/${encodeURIComponent(namespace)}/${
          resource.name
        }`,
        namespaced: true,
        namespace,
      }
    : { path: `${base}/${resource.name}`, namespaced: false };
}
