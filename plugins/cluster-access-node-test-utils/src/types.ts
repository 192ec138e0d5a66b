/** The fields of a Kubernetes object the fake API server reads. */
export type FakeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    managedFields?: ManagedFieldsEntry[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

/** One entry of `metadata.managedFields`, as server-side apply keeps it. */
export type ManagedFieldsEntry = {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
};

/** Identifies one object: its apiVersion, kind, name and (for namespaced kinds) namespace. */
export type FakeObjectRef = {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
};

/** A request the fake received. */
export type RecordedRequest = {
  method: string;
  path: string;
  query: string;
  /** The Content-Type of a request that carries a body (PATCH, POST, PUT). */
  contentType?: string;
  /** The parsed body of a request that carries one. */
  body?: unknown;
};

/** The RBAC check the API server makes for a request: verb on a resource of an API group. */
export type AuthorizationCheck = {
  verb: string;
  apiGroup: string;
  resource: string;
  namespace?: string;
  name?: string;
};

/** An RBAC `PolicyRule`, as in a Role or ClusterRole. */
export type FakeRbacRule = {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
};

/** A Status the fake answers with instead of serving a request. */
export type FakeFailure = {
  code: number;
  reason: string;
  message: string;
  details?: Record<string, unknown>;
};

/** Which requests a configured failure or delay applies to. */
export type FakeFailureMatch = {
  method?: string;
  /** An exact path, or a pattern the path must match. */
  path?: string | RegExp;
  /** Only watches (`watch=true`), or only other requests. Unset: both. */
  watch?: boolean;
};
