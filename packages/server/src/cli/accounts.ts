/** What the app and user commands share: the metadata store opened for one command, and its checks. */
import { type Auth, createAuth } from '../auth/auth.js';
import type { User } from '../auth/users.js';
import type { Config } from '../config.js';
import { Apps } from '../meta/apps.js';
import { openMetaDb } from '../meta/db.js';
import { CliError } from './errors.js';

type Flags = Record<string, string>;

/** A command body run on the accounts of the data directory, closed after it. */
export function withAuth(work: (auth: Auth, flags: Flags) => Promise<number> | number) {
  return async (config: Config, flags: Flags): Promise<number> => {
    const db = openMetaDb(config.dataDir);
    try {
      return await work(createAuth(db, new Apps(db), config), flags);
    } finally {
      db.close();
    }
  };
}

export function required(flags: Flags, ...names: string[]): void {
  const missing = names.filter((n) => !flags[n]);
  if (missing.length) throw new CliError(`missing ${missing.map((n) => `--${n}`).join(', ')}`, undefined, 2);
}

export function accountOf(auth: Auth, wechatId: string): User {
  const user = auth.users.byWechatId(wechatId);
  if (!user)
    throw new CliError(
      `No account with WeChat ID ${wechatId}.`,
      `Create it first: miniscope user add --wechat-id ${wechatId} --name "<name>"`,
    );
  return user;
}
