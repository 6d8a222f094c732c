/**
 * Pure: the EventBridge events inside whatever a responder holds. Findings are copied from the console's JSON view,
 * from `aws guardduty get-findings` or `aws securityhub get-findings`, records from a CloudTrail log file or a
 * failure queue: each is put in the envelope EventBridge would have delivered it in, so the CLI runs it exactly as
 * the deployed function would. Anything else is refused with one line, never run as an "ignored" event.
 */

/** One event found in the input, and how it was unwrapped (absent when the input already was the event). */
interface UnwrappedEvent {
  event: unknown;
  unwrapped?: string;
}

export type Unwrapping = { kind: 'events'; events: UnwrappedEvent[] } | { kind: 'refused'; reason: string };

export const NOT_AN_EVENT = 'not an EventBridge event: expected source, detail-type and detail (or a GuardDuty/Security Hub finding)';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function unwrapEvents(input: unknown): Unwrapping {
  const events = eventsIn(input, 0);
  return events === undefined || events.length === 0 ? { kind: 'refused', reason: NOT_AN_EVENT } : { kind: 'events', events };
}

/** Undefined when some part of the input is not an event in any form Keystop knows. */
function eventsIn(input: unknown, depth: number): UnwrappedEvent[] | undefined {
  if (depth > 3) return undefined;
  if (Array.isArray(input)) return all(input.map((item) => eventsIn(item, depth + 1)));
  if (!isObject(input)) return undefined;
  if (isEventBridgeEvent(input)) return [{ event: input }];
  // Lambda's on-failure destination keeps the event in requestPayload.
  if (isObject(input.requestContext) && isEventBridgeEvent(input.requestPayload)) {
    return [{ event: input.requestPayload, unwrapped: "took the event out of Lambda's failure-destination record" }];
  }
  if (Array.isArray(input.Findings)) {
    const findings = input.Findings;
    return all(
      findings.map((finding) =>
        findingEvent(finding, findings.length > 1 ? ' (one of get-findings output)' : ' (from get-findings output)'),
      ),
    );
  }
  if (Array.isArray(input.Records)) return all(input.Records.map((record) => recordEvent(record)));
  return all([findingEvent(input, '') ?? recordEvent(input)]);
}

function all(parts: (UnwrappedEvent[] | undefined)[]): UnwrappedEvent[] | undefined {
  if (parts.some((part) => part === undefined)) return undefined;
  return parts.flatMap((part) => part!);
}

function isEventBridgeEvent(value: unknown): boolean {
  return isObject(value) && text(value.source) !== undefined && text(value['detail-type']) !== undefined && isObject(value.detail);
}

/** A GuardDuty finding (the event's own camelCase, or the API's PascalCase) or an ASFF finding, in its envelope. */
function findingEvent(value: unknown, from: string): UnwrappedEvent[] | undefined {
  if (!isObject(value)) return undefined;
  if (isAsffFinding(value)) {
    return [
      { event: securityHubEnvelope(value), unwrapped: `wrapped a bare Security Hub (ASFF) finding${from} in its EventBridge envelope` },
    ];
  }
  if (isGuardDutyFinding(value)) {
    return [{ event: guardDutyEnvelope(value), unwrapped: `wrapped a bare GuardDuty finding${from} in its EventBridge envelope` }];
  }
  // `aws guardduty get-findings` answers in the API's PascalCase; the event carries the same finding in camelCase.
  if (text(value.Type) !== undefined && text(value.AccountId) !== undefined && (isObject(value.Resource) || isObject(value.Service))) {
    const finding = camelCased(value) as Json;
    if (isGuardDutyFinding(finding)) {
      return [
        {
          event: guardDutyEnvelope(finding),
          unwrapped: `wrapped a GuardDuty finding${from}, its API field names made the event's, in its EventBridge envelope`,
        },
      ];
    }
  }
  return undefined;
}

function isGuardDutyFinding(value: Json): boolean {
  return (
    text(value.id) !== undefined &&
    text(value.type) !== undefined &&
    text(value.accountId) !== undefined &&
    (isObject(value.resource) || isObject(value.service))
  );
}

function isAsffFinding(value: Json): boolean {
  return text(value.ProductArn) !== undefined && text(value.AwsAccountId) !== undefined && Array.isArray(value.Resources);
}

function guardDutyEnvelope(finding: Json): Json {
  return {
    version: '0',
    id: `keystop-unwrapped-${String(finding.id)}`,
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: finding.accountId,
    time: text(finding.updatedAt) ?? text(finding.createdAt) ?? new Date(0).toISOString(),
    region: text(finding.region) ?? 'us-east-1',
    resources: [],
    detail: finding,
  };
}

function securityHubEnvelope(finding: Json): Json {
  const resources = Array.isArray(finding.Resources) ? finding.Resources : [];
  const resourceRegion = resources.map((r) => (isObject(r) ? text(r.Region) : undefined)).find((r) => r !== undefined);
  // The product ARN carries the region of the hub that imported the finding: arn:aws:securityhub:<region>::product/…
  const productRegion = text(String(finding.ProductArn).split(':')[3]);
  return {
    version: '0',
    id: `keystop-unwrapped-${String(finding.Id)}`,
    'detail-type': 'Security Hub Findings - Imported',
    source: 'aws.securityhub',
    account: finding.AwsAccountId,
    time: text(finding.UpdatedAt) ?? text(finding.CreatedAt) ?? new Date(0).toISOString(),
    region: text(finding.Region) ?? productRegion ?? resourceRegion ?? 'us-east-1',
    resources: [String(finding.ProductArn)],
    detail: { findings: [finding] },
  };
}

/** A CloudTrail record (from a log file or a SIEM) as EventBridge delivers it; an SNS notification's message. */
function recordEvent(value: unknown): UnwrappedEvent[] | undefined {
  if (!isObject(value)) return undefined;
  const sns = value.Sns;
  if (isObject(sns) && typeof sns.Message === 'string') {
    try {
      const inner = eventsIn(JSON.parse(sns.Message), 2);
      return inner?.map(({ event, unwrapped }) => ({
        event,
        unwrapped: `took the message out of an SNS notification${unwrapped ? `, then ${unwrapped}` : ''}`,
      }));
    } catch {
      return undefined;
    }
  }
  const eventSource = text(value.eventSource);
  if (eventSource === undefined || text(value.eventName) === undefined || !isObject(value.userIdentity)) return undefined;
  const identity = value.userIdentity;
  return [
    {
      event: {
        version: '0',
        id: `keystop-unwrapped-${text(value.eventID) ?? 'cloudtrail-record'}`,
        'detail-type': 'AWS API Call via CloudTrail',
        // EventBridge names the source after the called service: iam.amazonaws.com → aws.iam.
        source: `aws.${eventSource.split('.')[0]}`,
        account: text(value.recipientAccountId) ?? text(identity.accountId) ?? '',
        time: text(value.eventTime) ?? new Date(0).toISOString(),
        region: text(value.awsRegion) ?? 'us-east-1',
        resources: [],
        detail: value,
      },
      unwrapped: 'wrapped a bare CloudTrail record in its EventBridge envelope',
    },
  ];
}

/**
 * The API's PascalCase field names as the event's camelCase (`AccessKeyDetails` → `accessKeyDetails`). Keys that
 * are data, not field names (`AWS::S3::Bucket` in affectedResources), do not start with one capital and are kept.
 */
function camelCased(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCased);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      /^[A-Z][a-z0-9]/.test(key) ? key[0]!.toLowerCase() + key.slice(1) : key,
      camelCased(inner),
    ]),
  );
}
