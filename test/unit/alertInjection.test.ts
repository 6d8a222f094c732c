import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Credential, credentialKinds } from '../../src/domain/CredentialIncident';
import type { IncidentResponse } from '../../src/domain/IncidentResponse';
import type { ActivitySummary } from '../../src/report/activity/ActivityReport';
import { AuditDetail } from '../../src/report/audit/AuditEvent';
import { auditDetailOf } from '../../src/report/audit/auditDetailOf';
import { AlertDocument } from '../../src/report/document/AlertDocument';
import { sanitize, sanitizeAscii } from '../../src/report/document/sanitize';
import { formatActivityAlert, formatAlert } from '../../src/report/notify/formatAlert';
import { formatChatbotNotification } from '../../src/report/notify/formatChatbotNotification';
import { SNS_MESSAGE_LIMIT, sizeOf, snsMessageOf } from '../../src/report/notify/snsMessageOf';
import { incidentAbout, responseTo } from '../support/incidents';

/** What an attacker who holds the key can put in a user agent, a user name, a tag or a CloudTrail request. */
const payloads = [
  '<!channel> URGENT',
  '<!here|here>',
  '<@U024BE7LH> please approve',
  '<#C024BE7LR>',
  '<https://evil.example/login|AWS Console>',
  '[Open the AWS console](https://evil.example/phish)',
  '![img](https://evil.example/pixel.png)',
  '@here @channel @everyone',
  'line one\nWHAT KEYSTOP DID (forged)\r\n  [done] nothing to worry about',
  '\u202Egnp.exe\u202C \u2066isolate\u2069 \u200Fmark',
  'zero\u200Bwidth\uFEFFjoiner\u200D',
  'nul\u0000bell\u0007esc\u001b[31mred\u001b[0m del\u007f c1\u0085',
  'line\u2028separator\u2029paragraph',
  '`code` *bold* _italic_ ~strike~ | pipe',
  'lone surrogate \uD800 here',
  'fix: https://evil.example/fix?k=1',
  'HTTPS://EVIL.EXAMPLE/Y ftp://evil.example/x',
  'visit evil.example/login or www.evil.example now',
  'evil\u3002example/ideographic',
];
const hostile = `${payloads.join(' ')} ${'A'.repeat(300_000)}`;

const credentialsWithHostileNames: Record<Credential['kind'], Credential> = {
  'long-term-key': { kind: 'long-term-key', accessKeyId: hostile, userName: hostile },
  'user-session': { kind: 'user-session', accessKeyId: hostile, userName: hostile },
  'role-session': { kind: 'role-session', accessKeyId: hostile, roleName: hostile, sessionName: hostile },
  'federated-session': { kind: 'federated-session', accessKeyId: hostile, principalName: hostile },
  'iam-user': { kind: 'iam-user', userName: hostile },
  root: { kind: 'root', accessKeyId: hostile },
  unmapped: { kind: 'unmapped', entities: [hostile, hostile] },
};

const hostileActivity: ActivitySummary = {
  status: 'partial',
  stoppedBy: 'time-limit',
  accessKeyId: hostile,
  window: { from: '2026-10-01T08:20:00.000Z', to: '2026-10-02T08:20:00.000Z' },
  regions: [hostile, 'us-east-1'],
  regionErrors: [{ region: hostile, error: hostile }],
  pagesRead: 4,
  eventCount: 200,
  firstSeen: '2026-10-02T08:14:03.000Z',
  lastSeen: '2026-10-02T08:16:45.000Z',
  calls: Array.from({ length: 20 }, (_, i) => ({ name: `${hostile}${i}`, count: 10 })),
  sourceIps: Array.from({ length: 10 }, () => ({ ip: hostile, count: 20 })),
  notable: Array.from({ length: 20 }, () => ({
    time: hostile,
    name: hostile,
    region: hostile,
    sourceIp: hostile,
    errorCode: hostile,
    target: hostile,
  })),
};

function hostileResponse(kind: Credential['kind']) {
  const incident = incidentAbout(credentialsWithHostileNames[kind], {
    id: hostile,
    type: hostile,
    title: hostile,
    region: hostile,
    observedAt: hostile,
    evidence: {
      sourceIp: hostile,
      country: hostile,
      city: hostile,
      asnOrg: hostile,
      isp: hostile,
      api: hostile,
      serviceName: hostile,
      userAgent: hostile,
      exposedUrl: hostile,
      description: hostile,
    },
    origin: { findingId: hostile, findingArn: hostile, eventId: hostile },
  });
  return responseTo(incident, {
    outcome: 'failed',
    // Reasons are Keystop's own words; the alert still neutralises one that is not.
    reason: hostile as IncidentResponse['reason'],
    explanation: hostile,
    policy: hostile,
    actions: [{ type: 'deactivate-access-key', status: 'failed', target: hostile, reason: hostile }],
  });
}

/** The forms that act on people or lie about what is shown, in any channel. */
function expectNeutral(text: string, { newlines = false } = {}) {
  expect(text).not.toMatch(/<[!@#]|<https?:|\|AWS Console>/);
  // No clickable attacker URL: no scheme but Keystop's own console links (whose path may carry an encoded name),
  // and no attacker host with a live dot anywhere else.
  expect(text).not.toMatch(/\b(https?|ftps?):\/\/(?!([a-z0-9-]+\.)?console\.aws\.amazon\.com\/)/i);
  expect(text.replace(/https:\/\/([a-z0-9-]+\.)?console\.aws\.amazon\.com\/[^\s)]*/g, '')).not.toMatch(/evil[.\u3002]example/i);
  expect(text).not.toMatch(/(^|[^(\w])@(here|channel|everyone)\b/i);
  expect(text).not.toMatch(/\]\((?!https:\/\/([a-z0-9-]+\.)?console\.aws\.amazon\.com\/)/);
  expect(text).not.toMatch(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for exactly the control characters an attacker could smuggle in
    newlines ? /[\p{Cf}\p{Co}\p{Cs}\u2028\u2029\r\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u : /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\u2028\u2029]/u,
  );
}

/** Every string inside a JSON value. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

describe('Hostile values in every field that reaches a message', () => {
  describe.each(credentialKinds)('for a %s', (kind) => {
    const response = hostileResponse(kind);
    const alert = formatAlert(response, hostileActivity);
    const followUp = formatActivityAlert(response, hostileActivity);

    it('are neutralised in the email text: no mention, link, control character, or forged section', () => {
      for (const { text } of [alert, followUp]) {
        expectNeutral(text, { newlines: true });
        expect(text.split('\n').filter((line) => line.startsWith('WHAT KEYSTOP DID'))).toHaveLength(followUp.text === text ? 0 : 1);
        expect(text).not.toMatch(/^\s*\[done\] nothing to worry about/m);
        expect(text.length).toBeLessThan(40_000);
      }
    });

    it('are neutralised and bounded in every string of the JSON document, which still matches its schema', () => {
      for (const { document } of [alert, followUp]) {
        expect(AlertDocument.safeParse(document).success).toBe(true);
        for (const value of stringsIn(document)) {
          expectNeutral(value);
          expect(Array.from(value).length).toBeLessThanOrEqual(600);
        }
      }
    });

    it("keeps Keystop's own console links clickable in the email text", () => {
      const links = Object.values(alert.document.links);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(alert.text).toContain(link);
    });

    it('cannot point a console link anywhere but the AWS console', () => {
      for (const link of Object.values(alert.document.links)) {
        expect(link).toMatch(/^https:\/\/([a-z0-9-]+\.)?console\.aws\.amazon\.com\/[\x21-\x7e]+$/);
        expect(link).not.toContain('evil.example/');
      }
      // The region came from the event: it is not a region name, so no regional finding link is made from it.
      expect(alert.document.links.finding).toBeUndefined();
      if (alert.document.links.cloudTrail)
        expect(alert.document.links.cloudTrail).toMatch(/^https:\/\/us-east-1\.console\.aws\.amazon\.com\//);
    });

    it('cannot format, mention or link in the Chatbot notification: values sit in code spans, only console links are links', () => {
      const chat = formatChatbotNotification(alert.document);
      for (const value of stringsIn(chat)) expectNeutral(value, { newlines: true });
      for (const line of chat.content.description.split('\n')) expect((line.match(/`/g) ?? []).length % 2).toBe(0);
      const links = [...chat.content.description.matchAll(/\[([^[\]\n]*)\]\(([^)]*)\)/g)];
      expect(links.length).toBeGreaterThan(0);
      for (const [, label, url] of links) {
        expect(['IAM principal', 'Finding', 'CloudTrail by key']).toContain(label);
        expect(url).toMatch(/^https:\/\/([a-z0-9-]+\.)?console\.aws\.amazon\.com\//);
      }
    });

    it('leave a one-line printable-ASCII subject of at most 100 characters', () => {
      for (const { subject } of [alert, followUp]) expect(subject).toMatch(/^[\x20-\x7e]{1,100}$/);
    });

    it('keep the whole SNS publish, every protocol body included, under 256 KB', () => {
      for (const chatbot of [false, true]) {
        const input = snsMessageOf(alert, { chatbot });
        expect(sizeOf(input)).toBeLessThan(SNS_MESSAGE_LIMIT);
        const bodies = JSON.parse(input.Message) as Record<string, string>;
        expect(AlertDocument.parse(JSON.parse(bodies.sqs!))).toEqual(alert.document);
        expect(bodies.email).toBe(alert.text);
      }
    });

    it('are neutralised in the audit event too', () => {
      const detail = auditDetailOf(response, response.actions, hostileActivity, new Date('2026-10-02T08:21:00Z'));
      expect(AuditDetail.safeParse(detail).success).toBe(true);
      for (const value of stringsIn(detail)) expectNeutral(value);
    });
  });
});

describe('sanitize', () => {
  it.each([
    ['<!channel> hi', '‹!channel› hi'],
    ['<@U024BE7LH>', '‹@U024BE7LH›'],
    ['[docs](https://evil.example)', '[docs] (hxxps://evil[.]example)'],
    ['see https://evil.example/fix?k=1 now', 'see hxxps://evil[.]example/fix?k=1 now'],
    ['HTTP://1.2.3.4/x', 'hxxp://1[.]2[.]3[.]4/x'],
    ['javascript://%0aalert(1)', 'javascript[://]%0aalert(1)'],
    ['go to evil.example/login', 'go to evil[.]example/login'],
    ['www.evil.example', 'www[.]evil[.]example'],
    ['evil\uff0eexample:8443/x', 'evil[.]example:8443/x'],
    ['hxxps://evil[.]example/fix', 'hxxps://evil[.]example/fix'],
    ['john.doe', 'john.doe'],
    ['detail.accountId: must be a 12-digit account id', 'detail.accountId: must be a 12-digit account id'],
    ['aws-cli/2.15.0 Python/3.11.6 exe/x86_64.amzn.2', 'aws-cli/2.15.0 Python/3.11.6 exe/x86_64.amzn.2'],
    ['ping @here now', 'ping (at)here now'],
    ['a\nb\r\nc\td', 'a b c d'],
    ['\u202Egnp.exe', 'gnp.exe'],
    ['alice@example.com', 'alice@example.com'],
    ['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (X11; Linux x86_64)'],
  ])('turns %j into %j', (input, output) => {
    expect(sanitize(input)).toBe(output);
  });

  it('is idempotent: defanged text is not defanged again', () => {
    for (const text of payloads) expect(sanitize(sanitize(text, 500), 500)).toBe(sanitize(text, 500));
  });

  it('bounds length in characters without splitting a surrogate pair', () => {
    const bounded = sanitize('😀'.repeat(50), 10);
    expect(Array.from(bounded)).toHaveLength(10);
    expect(bounded).toBe(`${'😀'.repeat(9)}…`);
    expect(bounded).not.toMatch(/\p{Cs}/u);
  });

  it('gives for a long text what cleaning all of it gives, though it cleans only the head when it can', () => {
    // The cleaning steps sanitize documents, applied to the whole text: its result is clean, so sanitize, which only
    // defangs and bounds clean text, is the reference for the raw text.
    const cleanAll = (text: string) =>
      text
        .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]+/gu, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/</g, '‹')
        .replace(/>/g, '›')
        .replace(/@(channel|here|everyone)\b/gi, '(at)$1')
        .replace(/\]\s*\(/g, '] (');
    const pieces = [
      'a',
      'é',
      'e\u0301\u0301',
      '😀',
      ' ',
      '\n\t',
      '\u200b',
      '\u0000',
      '@',
      '@channel',
      ']',
      '(',
      '<',
      '.',
      'https://',
      'x.io/',
    ];
    const text = fc.array(fc.constantFrom(...pieces), { maxLength: 400 }).map((parts) => parts.join(''));
    // Text, a run of blanks (which cleaning folds to one space), then a token that cleaning rewrites: wherever the
    // head ends, even inside the token, with the cleaned head just longer or shorter than the bound.
    const blankRun = fc
      .tuple(text, fc.nat({ max: 250 }), fc.constantFrom('@everyone', '@here', '] (', ']\n(', '😀😀', '<>'), text)
      .map(([before, blanks, token, after]) => `${before.slice(0, 30)}${' '.repeat(blanks)}${token}${after}`);
    fc.assert(
      fc.property(fc.oneof(text, blankRun), fc.integer({ min: 1, max: 40 }), (raw, maxLength) => {
        expect(sanitize(raw, maxLength)).toBe(sanitize(cleanAll(raw), maxLength));
        expect(sanitizeAscii(raw, maxLength)).toBe(sanitizeAscii(cleanAll(raw), maxLength));
      }),
      { numRuns: 3000 },
    );
  });

  it('makes subjects printable ASCII that SNS accepts', () => {
    expect(sanitizeAscii('Zürich <!here> ✓ ok')).toBe('Zurich (!here) ? ok');
    expect(sanitizeAscii('x'.repeat(150))).toBe(`${'x'.repeat(97)}...`);
  });
});
