/**
 * The fields of a Kubernetes object the fake API server reads.
 *
 * @public
 */
export type FakeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

/**
 * Identifies one object: its apiVersion, kind, name and (for namespaced kinds) namespace.
 *
 * @public
 */
export type FakeObjectRef = {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
};

/**
 * A request the fake received.
 *
 * @public
 */
export type RecordedRequest = {
  method: string;
  path: string;
  query: string;
};

/**
 * A Status the fake answers with instead of serving a request.
 *
 * @public
 */
export type FakeFailure = {
  code: number;
  reason: string;
  message: string;
  details?: Record<string, unknown>;
};

/**
 * Which requests a configured failure or delay applies to.
 *
 * @public
 */
export type FakeFailureMatch = {
  method?: string;
  /** An exact path, or a pattern the path must match. */
  path?: string | RegExp;
  /** Only watches (`watch=true`), or only other requests. Unset: both. */
  watch?: boolean;
};
