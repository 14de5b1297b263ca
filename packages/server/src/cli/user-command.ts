/**
 * `miniscope user add | list | passwd | app-admin`: accounts on the metadata store (SQLite only,
 * safe beside a running server). The first account is made with `user add --admin`. Passwords are
 * generated and printed once unless `--password-stdin` reads one, so they never sit in shell history.
 */
import { type Auth, createAuth } from '../auth/auth.js';
import { randomPassword } from '../auth/passwords.js';
import type { Config } from '../config.js';
import { HttpError } from '../http/errors.js';
import { Apps } from '../meta/apps.js';
import { openMetaDb } from '../meta/db.js';

const USAGE = `Usage:
  miniscope user add --wechat-id <id> --name <display name> [--admin] [--password-stdin]
  miniscope user list [--json]
  miniscope user passwd --wechat-id <id> [--password-stdin]     (ends the user's sessions)
  miniscope user app-admin --wechat-id <id> --appid <wx…>      (make the user the app's 管理员)`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function passwordOf(flags: Record<string, string>): Promise<{ password: string; generated: boolean }> {
  if (flags['password-stdin'] === 'true') return { password: await readStdin(), generated: false };
  return { password: randomPassword(), generated: true };
}

function need(flags: Record<string, string>, ...names: string[]): void {
  const missing = names.filter((n) => !flags[n] || flags[n] === 'true');
  if (missing.length) throw new HttpError(400, 'usage', `missing ${missing.map((n) => `--${n}`).join(', ')}\n${USAGE}`);
}

async function run(auth: Auth, sub: string | undefined, flags: Record<string, string>): Promise<number> {
  if (sub === 'add') {
    need(flags, 'wechat-id', 'name');
    const { password, generated } = await passwordOf(flags);
    const user = await auth.users.add(flags['wechat-id']!, flags.name!, password, flags.admin === 'true');
    console.log(`Added ${user.displayName} (${user.wechatId})${user.isAdmin ? ', deployment admin' : ''}.`);
    if (generated)
      console.log(`Password: ${password}\nKeep it now: it is not shown again. Change it after logging in.`);
    return 0;
  }
  if (sub === 'list') {
    const users = auth.users.list();
    if (flags.json === 'true')
      console.log(JSON.stringify(users.map((u) => ({ wechat_id: u.wechatId, name: u.displayName, admin: u.isAdmin }))));
    else if (!users.length) console.log('No accounts yet: miniscope user add --wechat-id … --name … --admin');
    else for (const u of users) console.log(`${u.wechatId}  ${u.displayName}${u.isAdmin ? '  (admin)' : ''}`);
    return 0;
  }
  if (sub === 'passwd') {
    need(flags, 'wechat-id');
    const user = auth.users.byWechatId(flags['wechat-id']!);
    if (!user) throw new HttpError(404, 'unknown_user', `No account with WeChat ID ${flags['wechat-id']}`);
    const { password, generated } = await passwordOf(flags);
    await auth.users.setPassword(user.id, password);
    auth.sessions.endOthers(user.id);
    console.log(
      `Password of ${user.wechatId} changed; their sessions ended.${generated ? `\nPassword: ${password}` : ''}`,
    );
    return 0;
  }
  if (sub === 'app-admin') {
    need(flags, 'wechat-id', 'appid');
    const user = auth.users.byWechatId(flags['wechat-id']!);
    if (!user) throw new HttpError(404, 'unknown_user', `No account with WeChat ID ${flags['wechat-id']}`);
    if (!auth.apps.get(flags.appid!)) throw new HttpError(404, 'unknown_app', `No app with AppID ${flags.appid}`);
    auth.grants.dropFor(flags.appid!, user.id);
    auth.members.setAdmin(flags.appid!, user.id, null);
    console.log(`${user.wechatId} is now the admin (管理员) of ${flags.appid}.`);
    return 0;
  }
  console.error(USAGE);
  return 1;
}

export async function userCommand(config: Config, sub: string | undefined, flags: Record<string, string>) {
  const db = openMetaDb(config.dataDir);
  try {
    return await run(createAuth(db, new Apps(db), config), sub, flags);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    console.error(`miniscope: ${error.message}`);
    return 1;
  } finally {
    db.close();
  }
}
