/**
 * Text from events, CloudTrail and IAM is attacker-influenced: whoever holds a leaked key chooses its user agent,
 * the names of the users and roles it creates, tags, and parts of finding descriptions. Before such text reaches any
 * message, the same rules apply in every format (email text, JSON document, chat):
 * - control and format characters go (line breaks that forge message sections, bidi overrides that reverse what
 *   is shown, zero-width characters that hide words), and whitespace folds to single spaces;
 * - chat markup that acts on people is defanged: Slack's `<!channel>`, `<@U…>`, `<#C…>`, `<url|label>` (no angle
 *   brackets survive), markdown links `[label](url)`, and `@channel`/`@here`/`@everyone`;
 * - length is bounded (in code points, never splitting a surrogate pair), so the message stays within SNS's limits.
 * The original values stay in the source finding, which the alert links to.
 */
export function sanitize(value: unknown, maxLength = 200): string {
  const text = String(value ?? '')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/\]\s*\(/g, '] (')
    .replace(/@(channel|here|everyone)\b/gi, '(at)$1');
  return truncate(text, maxLength, '…');
}

/**
 * For SNS subjects: sanitized, then printable ASCII only (SNS rejects anything else in a subject), one line,
 * at most `maxLength` characters.
 */
export function sanitizeAscii(value: unknown, maxLength = 100): string {
  const ascii = sanitize(value, Number.MAX_SAFE_INTEGER)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[‹›]/g, (c) => (c === '‹' ? '(' : ')'))
    .replace(/…/g, '...')
    .replace(/[^\x20-\x7e]/g, '?');
  return truncate(ascii, maxLength, '...');
}

function truncate(text: string, maxLength: number, ellipsis: string): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= maxLength) return text;
  return codePoints.slice(0, Math.max(0, maxLength - Array.from(ellipsis).length)).join('') + ellipsis;
}
