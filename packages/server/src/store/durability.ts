/**
 * Power-loss durability. MergeTree does not fsync by default: a process crash loses no
 * acknowledged insert (research/storage-spike.md), but a power loss or kernel crash can lose the
 * last parts written. With MINISCOPE_FSYNC=true every table of ours fsyncs each part and its
 * directory before the insert returns, at about twice the cost per insert. Applied at every start,
 * so the setting can be turned on or off later.
 */
import type { Store } from './store.js';

export async function applyDurability(store: Store, fsync: boolean): Promise<string[]> {
  const tables = await store.query<{ name: string }>(
    "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree' ORDER BY name",
  );
  const flag = fsync ? 1 : 0;
  const names = tables.map((t) => t.name).filter((name) => /^[A-Za-z0-9_]+$/.test(name));
  for (const name of names) {
    await store.command(
      `ALTER TABLE \`${name}\` MODIFY SETTING fsync_after_insert = ${flag}, fsync_part_directory = ${flag}`,
    );
  }
  return names;
}
