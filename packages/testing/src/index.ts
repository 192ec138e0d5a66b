/** Test support shared by Runway's test suites. */
export { startPostgres, postgresUrl } from './postgres';
export type { Postgres, PostgresConnection } from './postgres';
export { freePort } from './ports';
export {
  crdSchemasDir,
  crdSchemaFile,
  validateCrd,
  validateCustomResource,
  formatError,
} from './crds';
export type { KubernetesObject } from './crds';
