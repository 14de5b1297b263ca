/**
 * `miniscope app add | list | rotate-secret`: the app registry on the metadata store (SQLite only,
 * safe beside a running server). An app's data is seen only through its admin and the people they
 * let in, so `app add` names the admin (`--admin`) or says how to name one; `app list` shows apps
 * without one, which a deployment admin can also take or assign in the dashboard.
 */
import type { Auth } from '../auth/auth.js';
import { checkAppid } from '../meta/apps.js';
import { accountOf, required, withAuth } from './accounts.js';
import type { CommandSpec } from './commands.js';

function add(auth: Auth, flags: Record<string, string>): number {
  required(flags, 'appid', 'name');
  // The admin is checked before the app is made, so a typo leaves nothing half done.
  const admin = flags.admin ? accountOf(auth, flags.admin) : undefined;
  const app = auth.apps.add(flags.appid!, flags.name!);
  if (admin) auth.members.setAdmin(app.appid, admin.id, null);
  if (flags.json === 'true') {
    console.log(JSON.stringify({ appid: app.appid, secret: app.secret, admin: admin?.wechatId ?? null }));
    return 0;
  }
  console.log(`Added ${app.name} (${app.appid}).\nAppSecret: ${app.secret}\nKeep it now: it is not shown again.`);
  if (admin) console.log(`Its admin (管理员) is ${admin.wechatId}: they see it in the dashboard.`);
  else
    console.log(
      'It has no admin yet, so no one sees its data. Name one:\n' +
        `  miniscope user app-admin --appid ${app.appid} --wechat-id <微信号>\n` +
        "  or, as a deployment admin, take or assign it in the dashboard's app list.",
    );
  return 0;
}

function list(auth: Auth, flags: Record<string, string>): number {
  const rows = auth.apps.list().map((a) => {
    const adminId = auth.members.adminOf(a.appid);
    const admin = adminId === undefined ? undefined : auth.users.get(adminId);
    return { appid: a.appid, name: a.name, admin: admin?.wechatId ?? null, created_at: a.createdAt };
  });
  if (flags.json === 'true') console.log(JSON.stringify(rows));
  else if (rows.length === 0) console.log('No apps yet: miniscope app add --appid wx… --name … --admin <微信号>');
  else for (const r of rows) console.log(`${r.appid}  ${r.name}  ${r.admin ? `admin ${r.admin}` : '(no admin)'}`);
  return 0;
}

function rotateSecret(auth: Auth, flags: Record<string, string>): number {
  required(flags, 'appid');
  const appid = checkAppid(flags.appid!);
  const secret = auth.apps.rotateSecret(appid);
  console.log(flags.json === 'true' ? JSON.stringify({ appid, secret }) : `New AppSecret for ${appid}: ${secret}`);
  return 0;
}

const json = { kind: 'switch', help: 'print JSON instead of text' } as const;
const appid = { kind: 'value', arg: '<wx…>', help: 'the AppID: wx and 16 hex digits in lower case' } as const;

export const appCommands: CommandSpec[] = [
  {
    words: ['app', 'add'],
    summary: 'register a mini program; prints its AppSecret once',
    usage: '--appid <wx…> --name <name> [--admin <wechat-id>] [--json]',
    about:
      "Only the app's admin (管理员), its members with 数据分析 and its authorized viewers see its data: " +
      'name the admin here (an account made with `miniscope user add`), later with `miniscope user app-admin`, ' +
      "or take or assign the app in the dashboard's app list as a deployment admin.",
    flags: {
      appid,
      name: { kind: 'value', arg: '<name>', help: '1 to 64 characters, as the dashboard shows it' },
      admin: { kind: 'value', arg: '<wechat-id>', help: "the account that becomes the app's admin (管理员)" },
      json,
    },
    run: withAuth(add),
  },
  {
    words: ['app', 'list'],
    summary: 'list registered mini programs and their admins',
    usage: '[--json]',
    flags: { json },
    run: withAuth(list),
  },
  {
    words: ['app', 'rotate-secret'],
    summary: 'issue a new AppSecret (the old one stops working at once)',
    usage: '--appid <wx…> [--json]',
    flags: { appid, json },
    run: withAuth(rotateSecret),
  },
];
