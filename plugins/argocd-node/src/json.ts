/**
 * A deep copy of a JSON value (an Argo CD Application or part of one), by a JSON round
 * trip: exact for such values, and the copy's objects belong to the caller's realm. Node's
 * `structuredClone` returns objects of Node's own realm, which the scaffolder's template
 * engine refuses as "not plain records" when the caller runs in another one (a Jest test's
 * vm context).
 */
export function copyJson<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}
