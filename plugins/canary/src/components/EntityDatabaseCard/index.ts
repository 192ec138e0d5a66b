export { EntityDatabaseCard } from './EntityDatabaseCard';
