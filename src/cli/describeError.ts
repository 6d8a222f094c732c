import { UsageError } from './UsageError';

interface SdkError {
  name: string;
  message: string;
  code?: string;
  hostname?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

/**
 * One sentence for the terminal. An AWS error keeps its code (what a responder searches for and what AWS support
 * asks for); a network error says what could not be reached; a raw SDK parse error says the answer was not AWS's.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof UsageError) return error.message;
  const e = error as Error & SdkError;
  if (e.code === 'ENOTFOUND' || e.code === 'ECONNREFUSED' || e.code === 'ETIMEDOUT' || e.code === 'EAI_AGAIN') {
    return `cannot reach ${e.hostname ?? 'the AWS endpoint'} (${e.code}): check --region and --endpoint-url`;
  }
  if (e.$metadata !== undefined) {
    if (/XML parse error|Unexpected token|not valid JSON/i.test(e.message)) {
      return `the endpoint did not answer like AWS (${e.name}, HTTP ${e.$metadata.httpStatusCode ?? '?'}): check --region and --endpoint-url`;
    }
    return `AWS refused the request: ${e.name}${e.$metadata.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''}: ${e.message.split('\n')[0]}`;
  }
  if (e.name === 'CredentialsProviderError')
    return `no AWS credentials: ${e.message.split('\n')[0]} (use --profile, or set AWS_PROFILE or the AWS_ACCESS_KEY_ID variables)`;
  return e.message;
}

/**
 * 2: the command or its input is wrong, nothing was attempted (without credentials nothing can have been). 1:
 * something was attempted and failed.
 */
export function exitCodeOf(error: unknown): 1 | 2 {
  return error instanceof UsageError || (error instanceof Error && error.name === 'CredentialsProviderError') ? 2 : 1;
}
