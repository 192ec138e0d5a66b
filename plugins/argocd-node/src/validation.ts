import { InputError } from '@backstage/errors';

/*
 * Pure checks of the names Runway puts into Argo CD objects. Each throws an InputError that
 * names the field and the rule it breaks.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Longest Kubernetes label value, and so longest Application name (Argo CD may track by label). */
export const MAX_LABEL_VALUE_LENGTH = 63;
/** Longest Helm release name; the release is named after the app. */
export const MAX_HELM_RELEASE_NAME_LENGTH = 53;

/** A DNS-1123 label: at most 63 lowercase letters, digits and '-', alphanumeric at both ends. */
export function assertDnsLabel(
  field: string,
  value: string,
  maxLength = 63,
): void {
  if (!value) {
    throw new InputError(`${field} must not be empty`);
  }
  if (value.length > maxLength) {
    throw new InputError(
      `${field} '${value}' is ${value.length} characters long; it must be at most ${maxLength}`,
    );
  }
  if (!DNS1123_LABEL.test(value)) {
    throw new InputError(
      `${field} '${value}' must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
}

/** A DNS-1123 subdomain (the rule for most Kubernetes object names). */
export function assertDnsSubdomain(field: string, value: string): void {
  if (!value) {
    throw new InputError(`${field} must not be empty`);
  }
  if (value.length > 253) {
    throw new InputError(
      `${field} '${value}' is ${value.length} characters long; it must be at most 253`,
    );
  }
  if (!DNS1123_SUBDOMAIN.test(value)) {
    throw new InputError(
      `${field} '${value}' must be a DNS-1123 subdomain: dot-separated lowercase letters, digits and '-', each part starting and ending with a letter or digit`,
    );
  }
}

/** A Kubernetes label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
export function assertLabelKey(field: string, key: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (!prefix || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) {
      throw new InputError(
        `${field}: label key '${key}' has an invalid prefix; the part before '/' must be a DNS-1123 subdomain`,
      );
    }
  }
  if (!name || name.length > 63 || !LABEL_NAME.test(name)) {
    throw new InputError(
      `${field}: label key '${key}' is invalid; the name (after an optional prefix and '/') must be 1-63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
    );
  }
}

/** A Kubernetes label value: at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends (or empty). */
export function assertLabelValue(
  field: string,
  key: string,
  value: string,
): void {
  if (value.length > MAX_LABEL_VALUE_LENGTH || !LABEL_VALUE.test(value)) {
    throw new InputError(
      `${field}: the value '${value}' of label '${key}' is invalid; label values are at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
    );
  }
}

/** A string with no whitespace or control characters, such as a Git revision or a path. */
export function assertToken(field: string, value: string): void {
  if (!value) {
    throw new InputError(`${field} must not be empty`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(value)) {
    throw new InputError(
      `${field} '${value}' must not contain whitespace or control characters`,
    );
  }
}

/** A path inside a repository: relative, without '..' segments. */
export function assertRepoPath(field: string, value: string): void {
  assertToken(field, value);
  if (value.startsWith('/')) {
    throw new InputError(
      `${field} '${value}' must be relative to the repository root (no leading '/')`,
    );
  }
  if (value.split('/').includes('..')) {
    throw new InputError(
      `${field} '${value}' must stay inside the repository (no '..' segments)`,
    );
  }
}
