import { UsageError } from './UsageError';

interface SdkError {
  name: string;
  message: string;
  code?: string;
  hostname?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

/** AWS's names for credentials it does not accept (expired, unknown, or signed for another partition). */
const CREDENTIALS_REJECTED =
  /^(ExpiredToken|ExpiredTokenException|RequestExpired|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|InvalidSignatureException)$/;

const NETWORK_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET']);

/**
 * Whether an error says the command cannot talk to AWS at all (no credentials, credentials AWS rejects, an endpoint
 * that is not reachable), rather than that one request failed: a check that reports a failed request as its own
 * finding (doctor's "could not check") passes these on, so they read as one line with the fix and their exit code.
 * An answer that is not AWS's stays the check's finding: the emulator answers an operation it lacks that way too.
 */
export function cannotTalkToAws(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & SdkError;
  if (e.name === 'CredentialsProviderError' || (e.code !== undefined && NETWORK_CODES.has(e.code))) return true;
  return e.$metadata !== undefined && CREDENTIALS_REJECTED.test(e.name);
}

/**
 * One sentence for the terminal. An AWS error keeps its code (what a responder searches for and what AWS support
 * asks for); a network error says what could not be reached; a raw SDK parse error says the answer was not AWS's.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof UsageError) return error.message;
  const e = error as Error & SdkError;
  if (e.code !== undefined && NETWORK_CODES.has(e.code)) {
    return `cannot reach ${e.hostname ?? 'the AWS endpoint'} (${e.code}): check --region and --endpoint-url`;
  }
  if (e.$metadata !== undefined) {
    if (/XML parse error|Unexpected token|not valid JSON/i.test(e.message)) {
      return `the endpoint did not answer like AWS (${e.name}, HTTP ${e.$metadata.httpStatusCode ?? '?'}): check --region and --endpoint-url`;
    }
    const refused = `AWS refused the request: ${e.name}${e.$metadata.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''}: ${e.message.split('\n')[0]}`;
    if (CREDENTIALS_REJECTED.test(e.name)) {
      return `${refused} — your credentials are expired or not valid here: sign in again (aws sso login, new session credentials) or check --profile and --region`;
    }
    if (/AccessDenied|UnauthorizedOperation|AuthorizationError/.test(e.name)) {
      return `${refused} — your principal may not do this: act with a role allowed the action AWS named`;
    }
    return refused;
  }
  if (e.name === 'CredentialsProviderError')
    return `no AWS credentials: ${e.message.split('\n')[0]} (use --profile, or set AWS_PROFILE or the AWS_ACCESS_KEY_ID variables)`;
  return e.message;
}

/**
 * 2: the command or its input is wrong, nothing was attempted (without credentials AWS accepts nothing can have been).
 * 1: something was attempted and failed (an endpoint that cannot be reached included: the command cannot know how far
 * an earlier request got).
 */
export function exitCodeOf(error: unknown): 1 | 2 {
  if (error instanceof UsageError) return 2;
  // AWS authenticates a request before it does anything: credentials missing or rejected mean nothing was done.
  return error instanceof Error && (error.name === 'CredentialsProviderError' || CREDENTIALS_REJECTED.test(error.name)) ? 2 : 1;
}
