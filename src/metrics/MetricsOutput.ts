import type { InvocationLog } from './InvocationLog';

/** Where an invocation's metrics go: EMF lines on stdout in Lambda (CloudWatch turns them into metrics), a buffer in
 * the sandbox and in tests. */
export interface MetricsOutput {
  /** The deployment's stage, a dimension of every metric. */
  stage: string;
  /** Filled by the notifier and the enricher during the invocation. */
  log: InvocationLog;
  write(line: string): void;
}
