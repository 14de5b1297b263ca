/**
 * WeChat's error answers (wechat-analytics.md §9.2): the only place errors become
 * `{ errcode, errmsg }`. Handlers throw a WxError; the datacube plugin's error handler renders it,
 * always with HTTP 200 as WeChat does.
 */

import type { ErrorCode } from '@miniscope/contract';
import type { MiniscopeError } from '../errors.js';

export const WX_ERRORS = {
  system: [-1, 'system error'],
  invalidCredential: [40001, 'invalid credential, access_token is invalid or not latest'],
  invalidGrantType: [40002, 'invalid grant_type'],
  invalidAppid: [40013, 'invalid appid'],
  invalidToken: [40014, 'invalid access_token'],
  invalidSecret: [40125, 'invalid appsecret'],
  tokenMissing: [41001, 'access_token missing'],
  appidMissing: [41002, 'appid missing'],
  secretMissing: [41004, 'appsecret missing'],
  tokenExpired: [42001, 'access_token expired'],
  requireGet: [43001, 'require GET method'],
  requirePost: [43002, 'require POST method'],
  emptyBody: [44002, 'empty post data'],
  dailyQuota: [45009, 'reach max api daily quota limit'],
  dataFormat: [47001, 'data format error'],
  unauthorized: [48001, 'api unauthorized'],
  dateFormat: [61500, 'date format error'],
  dateRange: [61501, 'date range error'],
} as const satisfies Record<string, readonly [number, string]>;

export type WxErrorName = keyof typeof WX_ERRORS;

/**
 * The one mapping of Miniscope's error codes (the contract's vocabulary) to WeChat's errcodes, for
 * anything the engine or another module throws inside the datacube API; unlisted codes are WeChat's
 * "system error".
 */
const WX_OF_CODE: Partial<Record<ErrorCode, WxErrorName>> = {
  bad_date: 'dateFormat',
  bad_range: 'dateRange',
  bad_query: 'dataFormat',
  bad_filter: 'dataFormat',
  bad_metric: 'dataFormat',
  bad_json: 'dataFormat',
  invalid_body: 'dataFormat',
  unknown_app: 'invalidAppid',
  invalid_appid: 'invalidAppid',
};

/** A MiniscopeError as WeChat's error. */
export function wxErrorOf(error: MiniscopeError): WxError {
  return new WxError(WX_OF_CODE[error.code] ?? 'system', error.message);
}

export class WxError extends Error {
  override name = 'WxError';
  readonly errcode: number;

  constructor(which: WxErrorName, detail?: string) {
    const [errcode, errmsg] = WX_ERRORS[which];
    super(detail ? `${errmsg}: ${detail}` : errmsg);
    this.errcode = errcode;
  }

  toBody(): { errcode: number; errmsg: string } {
    return { errcode: this.errcode, errmsg: this.message };
  }
}
