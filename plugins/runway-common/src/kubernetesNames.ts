import { z } from 'zod/v3';

/*
 * Kubernetes' naming rules, written once as zod schemas (the `zod/v3` API the scaffolder's
 * `createTemplateAction` takes). `.max` and `.regex` carry the rules, so they show in the
 * JSON schema of any action built from them; the messages read after the value, e.g.
 * `appName: "Orders" is not a DNS-1123 label (…)` once `parseInput` formats them.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Kubernetes `resource.Quantity`, as its CRD schemas spell it. */
const QUANTITY =
  /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** Longest DNS-1123 label, and so longest namespace and label value. @public */
export const MAX_DNS1123_LABEL_LENGTH = 63;
/** Longest DNS-1123 subdomain. @public */
export const MAX_DNS1123_SUBDOMAIN_LENGTH = 253;
/** Longest label value. @public */
export const MAX_LABEL_VALUE_LENGTH = 63;

/** How a name schema may be narrowed. @public */
export type NameRuleOptions = {
  /** A tighter maximum length. */
  maxLength?: number;
  /** Why the maximum is tighter, appended to its message: "(a Helm release name)". */
  maxLengthReason?: string;
};

const longerThan = (max: number, reason?: string) =>
  `is longer than ${max} characters${reason ? ` ${reason}` : ''}`;

/** A non-empty name of at most `maxLength` (default 63) characters that matches `pattern`. */
function labelRule(pattern: RegExp, rule: string, options: NameRuleOptions) {
  const max = options.maxLength ?? MAX_DNS1123_LABEL_LENGTH;
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, longerThan(max, options.maxLengthReason))
    .regex(pattern, rule);
}

/**
 * A DNS-1123 label: a namespace, most names. At most 63 lower-case letters, digits and
 * '-', starting and ending with a letter or digit.
 *
 * @public
 */
export function dns1123Label(options: NameRuleOptions = {}) {
  return labelRule(
    DNS1123_LABEL,
    "is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)",
    options,
  );
}

/**
 * A DNS-1035 label: a Service name. Like a DNS-1123 label, but starting with a letter.
 *
 * @public
 */
export function dns1035Label(options: NameRuleOptions = {}) {
  return labelRule(
    DNS1035_LABEL,
    "is not a DNS-1035 label (lower-case letters, digits and '-', starting with a letter and ending with a letter or digit)",
    options,
  );
}

/**
 * A DNS-1123 subdomain: the rule of most object names (a StorageClass, an AppProject).
 *
 * @public
 */
export function dns1123Subdomain() {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(MAX_DNS1123_SUBDOMAIN_LENGTH, longerThan(MAX_DNS1123_SUBDOMAIN_LENGTH))
    .regex(
      DNS1123_SUBDOMAIN,
      "is not a DNS-1123 subdomain (dot-separated lower-case letters, digits and '-', each part starting and ending with a letter or digit)",
    );
}

/**
 * Why a label key is invalid, or undefined when it is valid: an optional DNS-1123
 * subdomain prefix and '/', then a name of 1–63 letters, digits, '-', '_' and '.',
 * alphanumeric at both ends. Pure.
 *
 * @public
 */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (
    prefix !== undefined &&
    (!prefix ||
      prefix.length > MAX_DNS1123_SUBDOMAIN_LENGTH ||
      !DNS1123_SUBDOMAIN.test(prefix))
  ) {
    return `label key '${key}' has an invalid prefix; the part before '/' must be a DNS-1123 subdomain`;
  }
  if (!name || name.length > 63 || !LABEL_NAME.test(name)) {
    return `label key '${key}' is invalid; the name (after an optional prefix and '/') must be 1-63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/**
 * A label value: at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends,
 * or empty.
 *
 * @public
 */
export function labelValue() {
  return z
    .string()
    .max(MAX_LABEL_VALUE_LENGTH, longerThan(MAX_LABEL_VALUE_LENGTH))
    .regex(
      LABEL_VALUE,
      "is not a label value (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)",
    );
}

/**
 * A map of labels: every key follows the label key rule, every value the label value rule.
 *
 * @public
 */
export function labels() {
  return z.record(z.string(), labelValue()).superRefine((map, ctx) => {
    for (const key of Object.keys(map)) {
      const problem = labelKeyProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  });
}

const QUANTITY_SUFFIXES: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * A quantity's value (`1Gi` → 1073741824), or undefined when it is not a Kubernetes
 * quantity. Pure.
 *
 * @public
 */
export function quantityValue(text: string): number | undefined {
  if (!QUANTITY.test(text)) return undefined;
  const [, number, suffix] = text.match(
    /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/,
  )!;
  if (/^[eE]/.test(suffix)) return Number(`${number}${suffix}`);
  return Number(number) * QUANTITY_SUFFIXES[suffix];
}

/**
 * A Kubernetes quantity (`10Gi`, `500m`, `1e9`).
 *
 * @public
 */
export function quantity() {
  return z
    .string()
    .min(1, 'must not be empty')
    .regex(
      QUANTITY,
      "is not a Kubernetes quantity (a number with an optional suffix such as Mi, Gi, Ti, M, G: e.g. '10Gi')",
    );
}

/**
 * A rule for an optional field that templates may leave empty: `''` is taken as absent.
 * The JSON schema accepts the rule's values or `''`.
 *
 * @public
 */
export function emptyAsAbsent<T extends z.ZodTypeAny>(rule: T) {
  return rule
    .or(z.literal(''))
    .optional()
    .transform(
      value => (value === '' ? undefined : value) as z.output<T> | undefined,
    );
}
