/**
 * The one error vocabulary of Miniscope's HTTP APIs: every error answer carries one of these codes
 * (`{ ok: false, error: { code, message, path? } }`), each with its one HTTP status. The server
 * throws by code; the dashboard shows its own message for each code in the chosen language (the
 * server's message is English, for logs and tools); the datacube API maps codes to WeChat's
 * errcodes in one place of its own.
 */
export const ERROR_STATUS = {
  // The request itself.
  bad_request: 400,
  bad_json: 400,
  bad_encoding: 400,
  bad_envelope: 400,
  unsupported_version: 400,
  invalid_body: 400,
  bad_query: 400,
  bad_date: 400,
  bad_range: 400,
  bad_filter: 400,
  bad_metric: 400,
  unstorable_batch: 400,
  body_too_large: 413,
  too_many_events: 413,
  unsupported_media_type: 415,
  // Accounts and apps: what was asked cannot be done.
  invalid_appid: 400,
  invalid_name: 400,
  invalid_wechat_id: 400,
  weak_password: 400,
  no_permission: 400,
  app_exists: 409,
  user_exists: 409,
  already_set_up: 409,
  already_granted: 409,
  is_admin: 409,
  /** A property's type is declared once (custom-analysis.md "Event management"). */
  type_declared: 409,
  member_cap: 409,
  viewer_cap: 409,
  // Who is asking.
  unauthenticated: 401,
  bad_credentials: 401,
  /** A logged-in caller's own password, asked again, was wrong (not a lost session: no 401). */
  wrong_password: 403,
  forbidden: 403,
  csrf: 403,
  cross_origin: 403,
  bad_setup_token: 403,
  no_access_rule: 403,
  // What is asked for.
  not_found: 404,
  unknown_app: 404,
  unknown_user: 404,
  not_member: 404,
  not_granted: 404,
  // The server's state.
  too_many_attempts: 429,
  internal: 500,
  overloaded: 503,
  store_unavailable: 503,
  stopping: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_STATUS, code);

/** Every error answer of the HTTP APIs (the datacube API's WeChat form aside). */
export interface ErrorBody {
  ok: false;
  error: { code: ErrorCode; message: string; path?: string };
}
