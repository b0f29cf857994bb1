/**
 * One error type that knows its response, and one catalogue of stable codes.
 * The HTTP layer maps an AppError to `{error: {code, message, details}}` with the
 * catalogue's status; anything else becomes a logged 500 with no internals.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  AUTH_REQUIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_INVALID_KEY: 401,
  CSRF_TOKEN_INVALID: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  WORKSPACE_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  KEY_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  USER_EMAIL_TAKEN: 409,
  MEMBER_EXISTS: 409,
  LAST_OWNER: 409,
  KEY_ALREADY_REVOKED: 409,
  RATE_LIMITED: 429,
  NOT_READY: 503,
  INTERNAL: 500,
  // ingest (tracking API)
  INGEST_INVALID_WRITE_KEY: 401,
  INGEST_PAYLOAD_TOO_LARGE: 413,
  INGEST_MESSAGE_TOO_LARGE: 413,
  INGEST_INVALID_MESSAGE: 400,
  INGEST_UNSUPPORTED_ENCODING: 415,
  // imports (files)
  IMPORT_UNKNOWN_KIND: 400,
  IMPORT_INVALID_MAPPING: 400,
  IMPORT_FILE_INVALID: 400,
  IMPORT_NOT_FOUND: 404,
  // customers (identity graph, 360)
  CUSTOMER_NOT_FOUND: 404,
  MERGE_NOT_FOUND: 404,
  SUGGESTION_NOT_FOUND: 404,
  MERGE_ALREADY_UNDONE: 409,
  MERGE_NOT_UNDOABLE: 409,
  SUGGESTION_ALREADY_DECIDED: 409,
  MERGE_KEPT_APART: 409,
  // dedupe (files)
  DEDUPE_INPUT_INVALID: 400,
  // feedback (surveys, answers)
  SURVEY_NOT_FOUND: 404,
  SURVEY_INVALID: 400,
  SURVEY_CLOSED: 409,
  SURVEY_TOKEN_INVALID: 403,
  SURVEY_TOKEN_EXPIRED: 410,
  ANSWER_INVALID: 400,
  ANSWER_STALE: 409,
  RESPONSE_NOT_FOUND: 404,
  TRIGGER_NOT_FOUND: 404,
  EMAIL_NOT_CONFIGURED: 409,
  RESPONDENT_NO_ADDRESS: 400,
  // follow-up (rules, SLA clocks, tasks, notifications)
  RULE_INVALID: 400,
  RULE_NOT_FOUND: 404,
  RULE_LOOP: 409,
  POLICY_NOT_FOUND: 404,
  TEAM_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  TASK_CLOSED: 409,
  TARGET_NOT_FOUND: 404,
  TARGET_URL_INVALID: 400,
  NOTIFICATION_NOT_FOUND: 404,
  NOTIFICATION_NOT_REPLAYABLE: 409,
  TEMPLATE_NOT_FOUND: 404,
  TASK_CHANGED: 409,
  // insight (CLV models)
  CLV_INPUT_INVALID: 400,
  CLV_FIT_FAILED: 422,
  HEALTH_INPUT_INVALID: 400,
  HEALTH_NOT_FOUND: 404,
  HEALTH_NO_IDENTIFIER: 409,
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code];
  }

  toBody(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
