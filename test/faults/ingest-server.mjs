// Child process for ingest-crash.test.ts: the built server (dist/) on the given database,
// listening on a free port; prints "listening <url>" once it accepts requests.
import { buildApp } from '../../dist/src/server/app.js';
import { migrateToLatest, openStore } from '../../dist/src/store/index.js';

const [url] = process.argv.slice(2);
const store = openStore(url);
await migrateToLatest(store);
const app = await buildApp({ store, config: { bodyLimitBytes: 1_048_576, publicUrl: undefined } });
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening http://127.0.0.1:${app.server.address().port}\n`);
