/**
 * The backend's database service, with the starts of the portal's replicas taken one at a
 * time through a PostgreSQL advisory lock.
 *
 * @packageDocumentation
 */
export { databaseServiceFactory } from './databaseServiceFactory';
export { lockConnection, StartupGate, STARTUP_LOCK_KEY } from './startupGate';
