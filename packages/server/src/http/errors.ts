/**
 * Errors one way: handlers throw an HttpError(status, code, message) and one error handler renders
 * it as `{ ok: false, error: { code, message, path? } }`. Only the datacube adapter speaks WeChat's
 * `{ errcode, errmsg }` instead.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody() {
    return {
      ok: false as const,
      error: { code: this.code, message: this.message, ...(this.path ? { path: this.path } : {}) },
    };
  }
}
