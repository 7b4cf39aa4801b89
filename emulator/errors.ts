/**
 * Every error the emulator answers with, in one table: a stable code, GitLab's status and the
 * exact body shape GitLab's API answers with for it (`{"message": …}` or `{"error": …}`).
 * Handlers throw `EmulatorError`s built from this table; the HTTP layer renders them.
 */
import { STATUS_CODES } from "node:http";

export type ErrorBody = Record<string, unknown>;

export class EmulatorError extends Error {
  override readonly name = "EmulatorError";
  constructor(
    readonly code: string,
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${code}: ${status} ${JSON.stringify(body)}`);
  }
}

export type ValidationErrors = Record<string, string[]>;

const INSUFFICIENT_SCOPE_DESCRIPTION = "The request requires higher privileges than provided by the access token.";

function invalidToken(code: string, description: string): EmulatorError {
  return new EmulatorError(code, 401, { error: "invalid_token", error_description: description }, {
    "WWW-Authenticate": `Bearer realm="Protected by OAuth 2.0", error="invalid_token", error_description="${description}"`,
  });
}

/** code -> (status, body). The body builders take only the variable part of GitLab's text. */
export const errors = Object.freeze({
  /** Unknown or invisible project (`not_found!('Project')`). */
  projectNotFound: () => new EmulatorError("EMU_ERR_PROJECT_NOT_FOUND", 404, { message: "404 Project Not Found" }),
  /** ActiveRecord::RecordNotFound rescued in lib/api/api.rb: note the lowercase "found". */
  mirrorNotFound: () => new EmulatorError("EMU_ERR_MIRROR_NOT_FOUND", 404, { message: "404 Not found" }),
  /** Plain `not_found!` (public_key of a mirror without SSH key auth). */
  notFound: () => new EmulatorError("EMU_ERR_NOT_FOUND", 404, { message: "404 Not Found" }),
  unauthorized: () => new EmulatorError("EMU_ERR_UNAUTHORIZED", 401, { message: "401 Unauthorized" }),
  tokenExpired: () => invalidToken("EMU_ERR_TOKEN_EXPIRED", "Token is expired. You can either do re-authorization or token refresh."),
  tokenRevoked: () => invalidToken("EMU_ERR_TOKEN_REVOKED", "Token was revoked. You have to re-authorize from the user."),
  /** `find_project!` on an old path with a method other than GET. */
  movedProjectWrite: () =>
    new EmulatorError("EMU_ERR_MOVED_PROJECT", 405, { message: "Non GET methods are not allowed for moved projects" }),
  /** GET on an old path: a permanent redirect to the same URL with the numeric id. */
  movedProjectRedirect: (location: string) =>
    new EmulatorError("EMU_ERR_MOVED_PROJECT_REDIRECT", 301, { message: `This resource has been moved permanently to ${location}.` }, { Location: location }),
  insufficientScope: (requiredScope: string) =>
    new EmulatorError(
      "EMU_ERR_INSUFFICIENT_SCOPE",
      403,
      { error: "insufficient_scope", error_description: INSUFFICIENT_SCOPE_DESCRIPTION, scope: requiredScope },
      {
        "WWW-Authenticate": `Bearer realm="Protected by OAuth 2.0", error="insufficient_scope", error_description="${INSUFFICIENT_SCOPE_DESCRIPTION}", scope="${requiredScope}"`,
      },
    ),
  /** Grape: no route for the path. */
  routeNotFound: () => new EmulatorError("EMU_ERR_ROUTE_NOT_FOUND", 404, { error: "404 Not Found" }),
  /** Grape: the path exists with another method. */
  methodNotAllowed: (allowed: string[]) =>
    new EmulatorError("EMU_ERR_METHOD_NOT_ALLOWED", 405, { error: "405 Not Allowed" }, { Allow: allowed.join(", ") }),
  /** Grape parameter validation: messages joined with ", ". */
  invalidParams: (messages: string[]) => new EmulatorError("EMU_ERR_INVALID_PARAMS", 400, { error: messages.join(", ") }),
  /** Model validation errors rendered with `render_api_error!(errors, 400)`. */
  validationFailed: (fields: ValidationErrors) => new EmulatorError("EMU_ERR_VALIDATION_FAILED", 400, { message: fields }),
  /** `render_api_error!(message, 400)` with a plain string. */
  badRequest: (message: string) => new EmulatorError("EMU_ERR_BAD_REQUEST", 400, { message }),
  invalidHostKeys: (detail: string) =>
    new EmulatorError("EMU_ERR_INVALID_HOST_KEYS", 400, { message: `Invalid SSH host key(s): ${detail}` }),
  syncUnavailable: () =>
    new EmulatorError("EMU_ERR_SYNC_UNAVAILABLE", 400, {
      message: "Cannot proceed with the push mirroring. Please verify your mirror configuration.",
    }),
  preconditionFailed: () => new EmulatorError("EMU_ERR_PRECONDITION_FAILED", 412, { message: "412 Precondition Failed" }),
  /** A 4xx/5xx injected by the fault controls. */
  injected: (status: number) =>
    new EmulatorError("EMU_ERR_INJECTED", status, { message: `${status} ${STATUS_CODES[status] ?? "Error"}` }),
  /** Bad input to the /-/emulator controls (not a GitLab API). */
  badControlRequest: (message: string) => new EmulatorError("EMU_ERR_BAD_CONTROL_REQUEST", 400, { error: message }),
  controlNotFound: () => new EmulatorError("EMU_ERR_CONTROL_NOT_FOUND", 404, { error: "404 Not Found" }),
  conflict: (message: string) => new EmulatorError("EMU_ERR_CONFLICT", 409, { error: message }),
});

export function isEmulatorError(err: unknown): err is EmulatorError {
  return typeof err === "object" && err !== null && typeof (err as { code?: unknown }).code === "string"
    && String((err as { code: string }).code).startsWith("EMU_ERR_") && typeof (err as { status?: unknown }).status === "number";
}
