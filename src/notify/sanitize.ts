/**
 * Text from events and IAM is attacker-influenced (user agents, names, descriptions). Before it reaches a message:
 * control characters go, whitespace folds, and length is bounded.
 */
export function sanitize(value: unknown, maxLength = 200): string {
  const text = String(value ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
