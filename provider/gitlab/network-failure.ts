/**
 * What a transport-level failure means for a person and for the caller: a reason, whether the request
 * may have reached GitLab (`sent`), and advice when the failure points at something specific.
 * One table, so every undici or system error becomes GLM_ERR_NETWORK with our method and path.
 */

export interface NetworkFailure {
  reason: string;
  sent: boolean;
  advice?: string;
  /** The request cannot be sent as built (a header HTTP refuses): trying again cannot help. */
  unsendable?: true;
}

export interface FailureContext {
  /** The API URL's origin, e.g. https://gitlab.example.com. */
  origin: string;
  /** The base URL setting as the user names it ("gitlab:baseUrl", "the provider's baseUrl"), for advice. */
  baseUrlName: string;
  timeoutMs: number;
  attemptTimeoutMs: number;
}

type Describe = (context: FailureContext) => NetworkFailure;

const unsent = (reason: string): Describe => () => ({ reason, sent: false });
const sent = (reason: string): Describe => () => ({ reason, sent: true });

function plainHttpOrigin(origin: string): string {
  return origin.replace(/^https:/, "http:");
}

const notHttp: Describe = ({ baseUrlName }) => ({
  reason: "the server did not answer with HTTP",
  sent: true,
  advice: `Check that ${baseUrlName} is GitLab's web address (the one its pages load from), not an SSH or other port.`,
});

/** By error code (undici's UND_ERR_*, Node's system and TLS codes). */
const BY_CODE: Readonly<Record<string, Describe>> = {
  ECONNREFUSED: unsent("connection refused"),
  ENOTFOUND: unsent("host not found"),
  EAI_AGAIN: unsent("DNS lookup failed"),
  EHOSTUNREACH: unsent("host unreachable"),
  ENETUNREACH: unsent("network unreachable"),
  UND_ERR_CONNECT_TIMEOUT: ({ timeoutMs }) => ({ reason: `could not connect within ${timeoutMs} ms`, sent: false }),
  ERR_SSL_WRONG_VERSION_NUMBER: ({ origin, baseUrlName }) => ({
    reason: "the TLS handshake failed: the server does not speak TLS on this port",
    sent: false,
    advice: `If this GitLab serves plain HTTP (a local one, such as the emulator), set ${baseUrlName} to ${plainHttpOrigin(origin)}.`,
  }),
  UND_ERR_HEADERS_TIMEOUT: ({ timeoutMs }) => ({ reason: `no response headers within ${timeoutMs} ms`, sent: true }),
  UND_ERR_BODY_TIMEOUT: ({ timeoutMs }) => ({ reason: `the response body stalled for ${timeoutMs} ms`, sent: true }),
  UND_ERR_HEADERS_OVERFLOW: ({ baseUrlName }) => ({
    reason: "the response headers are larger than an HTTP client accepts",
    sent: true,
    advice: `Check that ${baseUrlName} points at GitLab itself, not at a proxy that adds huge headers.`,
  }),
  UND_ERR_SOCKET: sent("connection closed by the other side"),
  UND_ERR_CLOSED: sent("client closed"),
  UND_ERR_DESTROYED: sent("client destroyed"),
  UND_ERR_ABORTED: sent("request aborted"),
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: sent("the response was shorter than its Content-Length"),
  // Refused by the HTTP client before anything left: a header or the body holds what HTTP does not allow.
  UND_ERR_INVALID_ARG: () => ({
    reason: "the request could not be sent: a header holds a character HTTP does not allow",
    sent: false,
    unsendable: true,
    advice: "Check gitlab:token for stray characters (a line break, a non-ASCII character) and set it again.",
  }),
  ECONNRESET: sent("connection reset"),
  ETIMEDOUT: sent("connection timed out"),
  EPIPE: sent("connection broken"),
};

function codeOf(err: unknown): string | undefined {
  const code = err !== null && typeof err === "object" ? (err as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

function nameOf(err: unknown): string | undefined {
  const name = err !== null && typeof err === "object" ? (err as { name?: unknown }).name : undefined;
  return typeof name === "string" ? name : undefined;
}

/**
 * Every failure of a request becomes a NetworkFailure. The reason ends with the error's code (or name),
 * never its message: a message may quote a header, and so the token.
 */
export function describeNetworkFailure(err: unknown, context: FailureContext): NetworkFailure {
  const code = codeOf(err);
  const name = nameOf(err);
  const tag = code ?? name ?? "unknown error";
  const known = code !== undefined ? BY_CODE[code] : undefined;
  let failure: NetworkFailure;
  if (known) failure = known(context);
  else if (name === "HTTPParserError" || code?.startsWith("HPE_")) failure = notHttp(context);
  else if (code !== undefined && /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code)) {
    failure = {
      reason: "the TLS handshake failed",
      sent: false,
      advice: `Check the server's certificate (a private CA needs NODE_EXTRA_CA_CERTS) and that ${context.baseUrlName} names the right host and port.`,
    };
  } else failure = { reason: code !== undefined && /^E[A-Z]+$/.test(code) ? "system error" : "the request failed", sent: true };
  return { ...failure, reason: `${failure.reason} (${tag})` };
}

/** The failure of an attempt that ran past its overall deadline. */
export function deadlineFailure(context: FailureContext): NetworkFailure {
  return { reason: `no complete response within ${context.attemptTimeoutMs} ms`, sent: true };
}
