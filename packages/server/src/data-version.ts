/**
 * Refusing data a newer Miniscope wrote. Both stores record the schema steps applied to them (the
 * event store in `miniscope_migrations`, the metadata in SQLite's `user_version`); an older version
 * does not know the newer steps, so running it on such data would read tables it does not expect,
 * and could write what the newer version then misreads. A rollback is a restore of the backup taken
 * before the upgrade (docs/upgrade.md).
 */
export class DataTooNewError extends Error {
  override name = 'DataTooNewError';
  constructor(
    readonly store: 'event store' | 'metadata',
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The ${store} is at schema version ${found}, written by a newer Miniscope; this one knows versions up to ${known}.`,
    );
  }
}
