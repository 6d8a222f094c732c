/**
 * The command line or an input file is wrong: nothing was attempted, no AWS call was made. The CLI exits 2 for it,
 * so a script tells "you asked wrongly" from "Keystop tried and the response failed" (exit 1).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
