/** `miniscope app add | list | rotate-secret`: app registry on the metadata store (SQLite only). */
import type { Config } from '../config.js';
import { AppError, Apps } from '../meta/apps.js';
import { openMetaDb } from '../meta/db.js';

export async function appCommand(
  config: Config,
  sub: string | undefined,
  flags: Record<string, string>,
): Promise<number> {
  const db = openMetaDb(config.dataDir);
  const apps = new Apps(db);
  const json = flags.json === 'true';
  try {
    if (sub === 'add') {
      if (!flags.appid || !flags.name)
        throw new AppError('invalid_appid', 'app add needs --appid <wx…> and --name <name>');
      const app = apps.add(flags.appid, flags.name);
      if (json) console.log(JSON.stringify({ appid: app.appid, secret: app.secret }));
      else
        console.log(`Added ${app.name} (${app.appid}).\nAppSecret: ${app.secret}\nKeep it now: it is not shown again.`);
      return 0;
    }
    if (sub === 'list') {
      const list = apps.list();
      if (json)
        console.log(JSON.stringify(list.map((a) => ({ appid: a.appid, name: a.name, created_at: a.createdAt }))));
      else if (list.length === 0) console.log('No apps yet: miniscope app add --appid wx… --name …');
      else for (const a of list) console.log(`${a.appid}  ${a.name}`);
      return 0;
    }
    if (sub === 'rotate-secret') {
      if (!flags.appid) throw new AppError('invalid_appid', 'app rotate-secret needs --appid <wx…>');
      const secret = apps.rotateSecret(flags.appid);
      console.log(
        json ? JSON.stringify({ appid: flags.appid, secret }) : `New AppSecret for ${flags.appid}: ${secret}`,
      );
      return 0;
    }
    console.error(
      'Usage: miniscope app add --appid <wx…> --name <name> [--json] | app list [--json] | app rotate-secret --appid <wx…>',
    );
    return 1;
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`miniscope: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    db.close();
  }
}
