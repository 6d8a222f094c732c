import type * as z from '../zod';
import { type ResponsePolicy, ResponsePolicySet } from './ResponsePolicy';

/** A policy set that does not validate: one line per problem, each naming the policy and the field. */
export class InvalidPolicySetError extends Error {
  override readonly name = 'InvalidPolicySetError';
  constructor(
    readonly origin: string,
    readonly problems: string[],
  ) {
    super(`${origin} is not a valid policy set:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/**
 * Pure: validates policy data (the shipped set, an operator's file) and says what is wrong where a reviewer looks for
 * it: `policy "x": match.source[0]: …`, by the policy's name rather than its index when it has one.
 */
export function parsePolicySet(data: unknown, origin: string): ResponsePolicy[] {
  const parsed = ResponsePolicySet.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new InvalidPolicySetError(
    origin,
    parsed.error.issues.map((issue) => describeIssue(issue, data)),
  );
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const [index, ...field] = issue.path;
  if (typeof index !== 'number') return `${formatPath(issue.path) || '(file)'}: ${issue.message}`;
  const name = Array.isArray(data) ? (data[index] as { name?: unknown } | undefined)?.name : undefined;
  const policy = typeof name === 'string' && name !== '' ? `policy "${name}"` : `policy [${index}]`;
  const value = valueAt(data, issue.path);
  const shown = field.length > 0 && value !== undefined && typeof value !== 'object' ? ` ${JSON.stringify(value)}` : '';
  return `${policy}: ${formatPath(field) || '(the policy)'}${shown}: ${messageOf(issue)}`;
}

/** A value that fits none of a union's forms: name the valid values when one of the forms is a list of them. */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_union') return issue.message;
  const choices = issue.errors.flat().find((inner) => inner.code === 'invalid_value' && inner.path.length === 0);
  return choices?.code === 'invalid_value' ? `is not one of ${choices.values.map(String).join(', ')}` : issue.message;
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined),
    data,
  );
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');
}
