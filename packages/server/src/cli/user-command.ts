/**
 * `miniscope user add | list | passwd | app-admin`: accounts on the metadata store (SQLite only,
 * safe beside a running server). The first account is made with `user add --admin`. Passwords are
 * generated and printed once unless `--password-stdin` reads one, so they never sit in shell history.
 */
import type { Auth } from '../auth/auth.js';
import { randomPassword } from '../auth/passwords.js';
import { checkAppid } from '../meta/apps.js';
import { accountOf, required, withAuth } from './accounts.js';
import type { CommandSpec } from './commands.js';
import { CliError } from './errors.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function passwordOf(flags: Record<string, string>): Promise<{ password: string; generated: boolean }> {
  if (flags['password-stdin'] === 'true') return { password: await readStdin(), generated: false };
  return { password: randomPassword(), generated: true };
}

async function add(auth: Auth, flags: Record<string, string>): Promise<number> {
  required(flags, 'wechat-id', 'name');
  const { password, generated } = await passwordOf(flags);
  const user = await auth.users.add(flags['wechat-id']!, flags.name!, password, flags.admin === 'true');
  console.log(`Added ${user.displayName} (${user.wechatId})${user.isAdmin ? ', deployment admin' : ''}.`);
  if (generated) console.log(`Password: ${password}\nKeep it now: it is not shown again. Change it after logging in.`);
  return 0;
}

async function list(auth: Auth, flags: Record<string, string>): Promise<number> {
  const users = auth.users.list();
  if (flags.json === 'true')
    console.log(JSON.stringify(users.map((u) => ({ wechat_id: u.wechatId, name: u.displayName, admin: u.isAdmin }))));
  else if (!users.length) console.log('No accounts yet: miniscope user add --wechat-id … --name … --admin');
  else for (const u of users) console.log(`${u.wechatId}  ${u.displayName}${u.isAdmin ? '  (admin)' : ''}`);
  return 0;
}

async function passwd(auth: Auth, flags: Record<string, string>): Promise<number> {
  required(flags, 'wechat-id');
  const user = accountOf(auth, flags['wechat-id']!);
  const { password, generated } = await passwordOf(flags);
  await auth.users.setPassword(user.id, password);
  auth.sessions.endOthers(user.id);
  console.log(
    `Password of ${user.wechatId} changed; their sessions ended.${generated ? `\nPassword: ${password}` : ''}`,
  );
  return 0;
}

async function appAdmin(auth: Auth, flags: Record<string, string>): Promise<number> {
  required(flags, 'wechat-id', 'appid');
  const user = accountOf(auth, flags['wechat-id']!);
  const appid = checkAppid(flags.appid!);
  if (!auth.apps.get(appid)) throw new CliError(`No app with AppID ${appid}.`, 'See them with: miniscope app list');
  auth.grants.dropFor(appid, user.id);
  auth.members.setAdmin(appid, user.id, null);
  console.log(`${user.wechatId} is now the admin (管理员) of ${appid}.`);
  return 0;
}

const wechatId = { kind: 'value', arg: '<id>', help: 'the WeChat ID (微信号) that names the account' } as const;
const passwordStdin = {
  kind: 'switch',
  help: 'read the password from the first line of stdin instead of generating one',
} as const;

export const userCommands: CommandSpec[] = [
  {
    words: ['user', 'add'],
    summary: 'create an account; prints its password once',
    usage: '--wechat-id <id> --name <display name> [--admin] [--password-stdin]',
    flags: {
      'wechat-id': wechatId,
      name: { kind: 'value', arg: '<name>', help: 'the name shown in the dashboard' },
      admin: { kind: 'switch', help: 'a deployment admin: creates accounts and apps and names their admins' },
      'password-stdin': passwordStdin,
    },
    run: withAuth(add),
  },
  {
    words: ['user', 'list'],
    summary: 'list accounts',
    usage: '[--json]',
    flags: { json: { kind: 'switch', help: 'print JSON instead of text' } },
    run: withAuth(list),
  },
  {
    words: ['user', 'passwd'],
    summary: "set a new password (ends the user's sessions)",
    usage: '--wechat-id <id> [--password-stdin]',
    flags: { 'wechat-id': wechatId, 'password-stdin': passwordStdin },
    run: withAuth(passwd),
  },
  {
    words: ['user', 'app-admin'],
    summary: "make the user an app's admin (管理员)",
    usage: '--wechat-id <id> --appid <wx…>',
    flags: { 'wechat-id': wechatId, appid: { kind: 'value', arg: '<wx…>', help: 'the AppID' } },
    run: withAuth(appAdmin),
  },
];
