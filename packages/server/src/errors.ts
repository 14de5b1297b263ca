/**
 * Errors one way: code throws a MiniscopeError with a code of the contract's vocabulary
 * (packages/contract/src/errors.ts); the HTTP layer answers with that code's status in the one error
 * shape, and the datacube API maps codes to WeChat's errcodes in one place of its own.
 */
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@miniscope/contract';

export interface ErrorDetails {
  /** The field at fault, as the request names it (`events[3].ts`, `from`). */
  path?: string;
  /** Headers of the answer (Retry-After on 503). */
  headers?: Record<string, string>;
}

export class MiniscopeError extends Error {
  override name = 'MiniscopeError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    const { path } = this.details;
    return { ok: false, error: { code: this.code, message: this.message, ...(path ? { path } : {}) } };
  }
}
