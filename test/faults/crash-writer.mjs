// Child process for crash.test.ts: opens the real store, migrates, then commits
// rows one transaction at a time, printing each id only after its commit returned.
import { migrateToLatest, openStore } from '../../dist/src/store/index.js';

const [url, workspaceId] = process.argv.slice(2);
const store = openStore(url);
await migrateToLatest(store);
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const id = `r${i}`;
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('source_records')
      .values({
        workspace_id: workspaceId,
        source: 'crash',
        kind: 'row',
        external_id: id,
        data: JSON.stringify({ i, pad: 'x'.repeat(200) }),
        occurred_at: i,
        imported_at: i,
        updated_at: i,
      })
      .execute();
  });
  process.stdout.write(`${id}\n`);
}
