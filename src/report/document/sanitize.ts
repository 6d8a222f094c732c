/**
 * Text from events, CloudTrail and IAM is attacker-influenced: whoever holds a leaked key chooses its user agent,
 * the names of the users and roles it creates, tags, and parts of finding descriptions. Before such text reaches any
 * message, the same rules apply in every format (email text, JSON document, chat):
 * - control and format characters go (line breaks that forge message sections, bidi overrides that reverse what
 *   is shown, zero-width characters that hide words), and whitespace folds to single spaces;
 * - chat markup that acts on people is defanged: Slack's `<!channel>`, `<@U…>`, `<#C…>`, `<url|label>` (no angle
 *   brackets survive), markdown links `[label](url)`, and `@channel`/`@here`/`@everyone`;
 * - links are defanged, so no mail or chat client makes them clickable: a URL with a scheme becomes
 *   `hxxps://evil[.]example/fix` (other schemes `[://]`), and a host written without a scheme but with `www.` or a
 *   path (`evil.example/login`) gets `[.]` too. A bare dotted name (`john.doe`, `build.bot`) is left as is: IAM names
 *   may look like that and runbook commands need them exact (docs/threat-model.md);
 * - length is bounded (in code points, never splitting a surrogate pair), so the message stays within SNS's limits.
 * The original values stay in the source finding, which the alert links to. Links Keystop builds itself (console
 * links) never pass through here.
 */
export function sanitize(value: unknown, maxLength = 200): string {
  const raw = String(value ?? '');
  // Attacker text can be 300 KB. Cleaning only its head gives the same first maxLength + 1 characters as cleaning all
  // of it, once the cleaned head is longer than that by more than a token cut at its end can change (e.g. a cut
  // "@every" that would have become "(at)everyone"); otherwise (a head of mostly blanks) the whole text is cleaned.
  const headLength = 4 * maxLength + 64;
  const head = raw.length > headLength ? clean(raw.slice(0, headLength)) : undefined;
  const text = head !== undefined && Array.from(head).length > maxLength + 1 + CUT_MARGIN ? head : clean(raw);
  // Bounded before defanging (linear, but not free), and again after it (it lengthens).
  return truncate(defangLinks(truncate(text, maxLength + 1, '')), maxLength, '…');
}

/** More than the longest stretch at the end of a cut text that cleaning treats differently from the whole text. */
const CUT_MARGIN = 16;

function clean(text: string): string {
  return (
    text
      .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/</g, '‹')
      .replace(/>/g, '›')
      .replace(/@(channel|here|everyone)\b/gi, '(at)$1')
      // After the mentions: "]@here" would otherwise become the "](" of a markdown link.
      .replace(/\]\s*\(/g, '] (')
  );
}

/** Dots that browsers and chat clients read as dots (ASCII, ideographic, fullwidth, halfwidth), not yet defanged. */
const DOT = /(?<!\[)[.\u3002\uff0e\uff61](?!\])/g;
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}_-]*[\\p{L}\\p{N}])?';
/** scheme://anything-but-space */
const SCHEME_URL = /\b([a-z][a-z0-9+.-]{0,30}):\/\/\S*/giu;
/** www.host… or host.tld followed by a path, query, fragment or port, with no scheme. */
const HOST_LINK = new RegExp(
  `(?<![\\p{L}\\p{N}_.@-])(?:www\\d{0,3}[.\u3002\uff0e\uff61]\\S+|(?:${LABEL}[.\u3002\uff0e\uff61])+(?:\\p{L}{2,63}|xn--[a-z0-9-]{1,59})(?=[/?#]|:\\d))`,
  'giu',
);

/** The usual defanged forms; the defanged forms map to themselves, so that sanitizing twice changes nothing. */
const DEFANGED_SCHEMES: Record<string, string> = {
  http: 'hxxp',
  https: 'hxxps',
  ftp: 'fxp',
  ftps: 'fxps',
  hxxp: 'hxxp',
  hxxps: 'hxxps',
  fxp: 'fxp',
  fxps: 'fxps',
};

function defangLinks(text: string): string {
  const dots = (token: string) => token.replace(DOT, '[.]');
  return text
    .replace(SCHEME_URL, (url, scheme: string) => {
      const rest = dots(url.slice(scheme.length + 3));
      const defanged = DEFANGED_SCHEMES[scheme.toLowerCase()];
      return defanged === undefined ? `${scheme}[://]${rest}` : `${defanged}://${rest}`;
    })
    .replace(HOST_LINK, dots);
}

/**
 * For SNS subjects: sanitized, then printable ASCII only (SNS rejects anything else in a subject), one line,
 * at most `maxLength` characters.
 */
export function sanitizeAscii(value: unknown, maxLength = 100): string {
  // As in sanitize: the head of a long text first, all of it only when the head's ASCII is too short to decide.
  const head = asciiOf(sanitize(value, 4 * maxLength + 64));
  const ascii = Array.from(head).length > maxLength + CUT_MARGIN ? head : asciiOf(sanitize(value, Number.MAX_SAFE_INTEGER));
  return truncate(ascii, maxLength, '...');
}

function asciiOf(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[‹›]/g, (c) => (c === '‹' ? '(' : ')'))
    .replace(/…/g, '...')
    .replace(/[^\x20-\x7e]/g, '?');
}

function truncate(text: string, maxLength: number, ellipsis: string): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= maxLength) return text;
  return codePoints.slice(0, Math.max(0, maxLength - Array.from(ellipsis).length)).join('') + ellipsis;
}
