/**
 * The dashboard's own message for every error code of the server (the contract's one vocabulary,
 * packages/contract/src/errors.ts), in both languages: the server's `message` is English, for logs
 * and tools, and is never shown. The types make a code without a message an error in either
 * language; test/errors.test.ts checks the same at run time against the contract's list.
 */
import type { ErrorCode } from '@miniscope/contract';
import { ApiError } from '../api/client';
import { locale } from './index';

type Messages = Record<ErrorCode, string>;

export const ERRORS_ZH: Messages = {
  bad_request: '请求有误，请刷新页面后重试',
  bad_json: '请求内容无法解析，请刷新页面后重试',
  bad_encoding: '请求内容不是有效的 UTF-8 文本',
  bad_envelope: '上报数据的格式不正确',
  unsupported_version: '不支持这个上报协议版本',
  invalid_body: '填写的内容有误，请检查后重试',
  bad_query: '报表的查询条件有误',
  bad_date: '日期格式有误',
  bad_range: '日期范围有误：开始日期不能晚于结束日期，跨度也有上限',
  bad_filter: '筛选条件有误',
  bad_metric: '没有这个指标',
  unstorable_batch: '上报数据无法保存',
  body_too_large: '内容太大（超过 1 MB）',
  too_many_events: '一次上报的事件太多',
  unsupported_media_type: '不支持这种内容类型',
  invalid_appid: 'AppID 格式不正确：应为 wx 加 16 位小写十六进制字符（0-9、a-f）',
  invalid_name: '名称应为 1 到 64 个字符',
  invalid_wechat_id: '微信号应为 6–20 位字母、数字、下划线或减号，并以字母开头',
  weak_password: '密码应为 8 到 200 个字符',
  no_permission: '请至少勾选一项权限，或移除这位成员',
  app_exists: '这个 AppID 的小程序已经添加过了',
  user_exists: '这个微信号已经有帐号了',
  already_set_up: '已经完成首次设置，请直接登录',
  already_granted: '已经授权过这位用户',
  is_admin: '这位用户是小程序的管理员，已拥有全部权限',
  type_declared: '这个属性的类型已经声明过，不能再改',
  member_cap: '成员人数已达上限，请先移除一位成员',
  viewer_cap: '授权人数已达上限，请先取消一位用户的授权',
  unauthenticated: '登录已失效，请重新登录',
  bad_credentials: '微信号或密码错误',
  wrong_password: '当前密码不正确',
  forbidden: '你没有权限执行这个操作',
  csrf: '页面已过期，请刷新后重试',
  cross_origin: '不接受来自其他网站的请求',
  bad_setup_token: '设置令牌错误：请使用服务器启动时打印的链接',
  no_access_rule: '服务器拒绝了这个请求',
  not_found: '找不到请求的内容',
  unknown_app: '找不到这个小程序，或你没有权限查看它',
  unknown_user: '没有这个微信号的帐号',
  not_member: '这位用户不是这个小程序的成员',
  not_granted: '这位用户没有被授权',
  too_many_attempts: '登录失败次数过多，请稍后再试',
  internal: '服务器出错了，请稍后重试',
  overloaded: '服务器繁忙，请稍后重试',
  store_unavailable: '数据存储暂时不可用，请稍后重试',
  stopping: '服务器正在重启，请稍后重试',
};

export const ERRORS_EN: Messages = {
  bad_request: 'The request was not understood; reload the page and try again',
  bad_json: 'The request could not be read; reload the page and try again',
  bad_encoding: 'The request is not valid UTF-8 text',
  bad_envelope: 'The batch is not in the protocol’s shape',
  unsupported_version: 'This protocol version is not supported',
  invalid_body: 'Something entered is not valid; check it and try again',
  bad_query: 'The report’s settings are not valid',
  bad_date: 'A date is not valid',
  bad_range: 'The date range is not valid: the start must not be after the end, and ranges have a limit',
  bad_filter: 'A filter is not valid',
  bad_metric: 'There is no such figure',
  unstorable_batch: 'The batch could not be stored',
  body_too_large: 'Too large (over 1 MB)',
  too_many_events: 'Too many events in one batch',
  unsupported_media_type: 'This content type is not supported',
  invalid_appid: 'An AppID is wx and 16 lower-case hex digits (0-9, a-f)',
  invalid_name: 'The name must be 1 to 64 characters',
  invalid_wechat_id: 'A WeChat ID is 6–20 letters, digits, _ or -, starting with a letter',
  weak_password: 'The password must be 8 to 200 characters',
  no_permission: 'Tick at least one permission, or remove the member',
  app_exists: 'A mini program with this AppID has already been added',
  user_exists: 'This WeChat ID already has an account',
  already_set_up: 'Setup is already done; log in instead',
  already_granted: 'This user is already authorized',
  is_admin: 'This user is the mini program’s admin and has every permission',
  type_declared: 'This property’s type has already been declared and cannot change',
  member_cap: 'The member limit is reached; remove a member first',
  viewer_cap: 'The authorization limit is reached; revoke someone first',
  unauthenticated: 'Your session ended; log in again',
  bad_credentials: 'Wrong WeChat ID or password',
  wrong_password: 'The current password is wrong',
  forbidden: 'You may not do this',
  csrf: 'The page is out of date; reload it and try again',
  cross_origin: 'Requests from other sites are not accepted',
  bad_setup_token: 'Wrong setup token: use the link the server printed when it started',
  no_access_rule: 'The server refused this request',
  not_found: 'Not found',
  unknown_app: 'No such mini program, or you may not view it',
  unknown_user: 'No account has this WeChat ID',
  not_member: 'This user is not a member of the mini program',
  not_granted: 'This user is not authorized',
  too_many_attempts: 'Too many failed logins; try again later',
  internal: 'The server failed; try again later',
  overloaded: 'The server is busy; try again shortly',
  store_unavailable: 'The data store is unavailable; try again shortly',
  stopping: 'The server is restarting; try again shortly',
};

/** Messages the dashboard shows for what is not a server code. */
const CLIENT = {
  'zh-CN': {
    network: '无法连接服务器，请检查网络',
    http: '服务器出错了（HTTP {status}），请稍后重试',
    retry: '，请 {n} 秒后再试',
    unknown: '出错了，请稍后重试',
  },
  en: {
    network: 'Cannot reach the server; check the network',
    http: 'The server failed (HTTP {status}); try again later',
    retry: '; try again in {n} s',
    unknown: 'Something went wrong; try again',
  },
} as const;

const isCode = (code: string): code is ErrorCode => Object.hasOwn(ERRORS_ZH, code);

/**
 * What to tell the user about a failed request, in the chosen language. `overrides`: a message
 * of the caller's for a code whose meaning depends on the screen.
 */
export function errorText(error: unknown, overrides: Partial<Record<ErrorCode, string>> = {}): string {
  const lang = locale.value === 'en' ? 'en' : 'zh-CN';
  const client = CLIENT[lang];
  if (!(error instanceof ApiError)) return client.unknown;
  if (error.code === 'network') return client.network;
  if (!isCode(error.code)) return client.http.replace('{status}', String(error.status));
  const text = overrides[error.code] ?? (lang === 'en' ? ERRORS_EN : ERRORS_ZH)[error.code];
  if (error.code === 'too_many_attempts' && error.retryAfter) {
    // "…, try again later" becomes "…, try again in n s".
    const head = text.replace(/[，;；].*$/, '');
    return `${head}${client.retry.replace('{n}', String(error.retryAfter))}`;
  }
  return text;
}
