import type { Knex } from 'knex';
import { MigrationSource } from './src/db/migrations';

/**
 * For the knex command line against your own server (DATABASE_URL must be set). `npm run migrate` does the
 * same and also works with the embedded database.
 */
const config: Knex.Config = {
  client: 'pg',
  connection: process.env.DATABASE_URL,
  migrations: { migrationSource: new MigrationSource() },
};

export default config;
