import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { severityLabelOf } from '../../src/domain/CredentialIncident';
import { MalformedEventError } from '../../src/domain/errors';
import type { EventSource } from '../../src/sources/EventSource';
import { eventSources } from '../../src/sources/eventSources';
import { parseEvent } from '../../src/sources/parseEvent';
import { loadFixture } from '../support/loadFixture';

const HONEY_KEY = 'AKIAHONEYBAITKEY0001';
const sources = eventSources({ honeyKeys: [HONEY_KEY] });
const sourceNamed = (name: string) => sources.find((s) => s.name === name)!;

/**
 * An independent statement of what a well-formed incident is; the adapters' output is held to it. zod's mini API, like
 * src/, and not the classic one: the unit files share their modules, and the classic API would set zod's English
 * messages for all of them, hiding a src/zod.ts that no longer does (edgeSchemas.test.ts checks it does).
 */
const text = z.string().check(z.minLength(1));
const WellFormedIncident = z.strictObject({
  id: text,
  source: z.enum(['guardduty', 'security-hub', 'health', 'cloudtrail']),
  type: text,
  severity: z.number().check(z.gte(0), z.lte(10)),
  severityLabel: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
  accountId: z.string().check(z.regex(/^\d{12}$/)),
  region: text,
  observedAt: text,
  firstSeenAt: z.optional(text),
  credential: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('long-term-key'), accessKeyId: text, userName: z.optional(text) }),
    z.strictObject({ kind: z.literal('user-session'), accessKeyId: z.optional(text), userName: text }),
    z.strictObject({ kind: z.literal('role-session'), accessKeyId: text, roleName: text, sessionName: z.optional(text) }),
    z.strictObject({ kind: z.literal('federated-session'), accessKeyId: text, principalName: text }),
    z.strictObject({ kind: z.literal('iam-user'), userName: text }),
    z.strictObject({ kind: z.literal('root'), accessKeyId: z.optional(text) }),
    z.strictObject({ kind: z.literal('unmapped'), entities: z.array(text) }),
  ]),
  sample: z.boolean(),
  backupDelivery: z.boolean(),
  repeated: z.optional(z.literal(true)),
  title: z.string(),
  evidence: z.record(z.string(), z.string()),
  origin: z.strictObject({ findingId: text, findingArn: z.optional(text), eventId: text }),
});

const RISK_CODES = [
  'AWS_RISK_CREDENTIALS_EXPOSED',
  'AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED',
  'AWS_RISK_CREDENTIALS_COMPROMISED',
  'AWS_RISK_CREDENTIALS_COMPROMISE_SUSPECTED',
  'AWS_RISK_IAM_QUARANTINE',
];

/** Written apart from the adapters: does this (schema-valid) event report a compromised credential at all? */
const isCredentialSignal: Record<string, (event: any) => boolean> = {
  GuardDuty: (e) => e.detail.resource.resourceType === 'AccessKey' || e.detail.type.startsWith('AttackSequence:IAM/'),
  'Security Hub': (e) =>
    e.detail.findings.some(
      (f: any) =>
        /::product\/aws\/guardduty$/.test(f.ProductArn) &&
        (f.Workflow?.Status ?? f.WorkflowState) === 'NEW' &&
        f.RecordState !== 'ARCHIVED' &&
        f.Resources.some((r: any) => r.Type === 'AwsIamAccessKey'),
    ),
  'AWS Health': (e) => e.detail.service === 'RISK' && RISK_CODES.includes(e.detail.eventTypeCode),
  CloudTrail: (e) =>
    e.detail.userIdentity.accessKeyId === HONEY_KEY ||
    (e.detail.eventName === 'AttachUserPolicy' &&
      String(e.detail.requestParameters?.policyArn).startsWith('arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine') &&
      e.detail.errorCode === undefined),
};

const fixtures: Record<string, string[]> = {
  GuardDuty: [
    'guardduty/tor-ip-caller-long-term-key.json',
    'guardduty/sample-finding.json',
    'guardduty/ec2-finding.json',
    'guardduty/role-session-exfiltration.json',
    'guardduty/root-credential-usage.json',
    'guardduty/user-session-tor.json',
    'guardduty/attack-sequence-compromised-credentials.json',
  ],
  'Security Hub': [
    'security-hub/two-new-guardduty-key-findings.json',
    'security-hub/key-unknown-user-only.json',
    'security-hub/mixed-batch-one-key-finding.json',
    'security-hub/notified-update.json',
    'security-hub/root-credential-usage.json',
  ],
  'AWS Health': [
    'health/exposed-current-shape.json',
    'health/exposed-backup-delivery.json',
    'health/compromised-minimal-affected-entities.json',
    'health/exposure-suspected-minimal-resources.json',
    'health/iam-quarantine-global-user-only.json',
    'health/ec2-scheduled-maintenance.json',
  ],
  CloudTrail: ['cloudtrail/honey-key-used.json', 'cloudtrail/quarantine-policy-attached.json', 'cloudtrail/ordinary-api-call.json'],
};

/** Values that sit on the boundaries the adapters decide on, so that mutations often land on a decision. */
const interesting = fc.constantFrom<unknown>(
  '',
  'null',
  null,
  0,
  -1,
  11,
  5.5,
  true,
  'true',
  'false',
  [],
  {},
  'AKIAFIXTURELEAKED001',
  'ASIAFIXTURESESSION01',
  HONEY_KEY,
  '111122223333',
  '12345',
  'global',
  'AccessKey',
  'Instance',
  'IAMUser',
  'AssumedRole',
  'Root',
  'FederatedUser',
  'AWSService',
  'NEW',
  'NOTIFIED',
  'ARCHIVED',
  'AwsIamAccessKey',
  'AWS::IAM::AccessKey:null',
  'RISK',
  'EC2',
  ...RISK_CODES,
  'AttachUserPolicy',
  'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV4',
  'arn:aws:securityhub:us-east-1::product/aws/guardduty',
  'AttackSequence:IAM/CompromisedCredentials',
  'UnauthorizedAccess:IAMUser/TorIPCaller',
  'Wed, 12 Feb 2025 00:37:54 GMT',
  'not a date',
);

type Mutation = { at: number; op: 'delete' | 'replace'; value: unknown };
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'replace'),
  value: fc.oneof({ weight: 3, arbitrary: interesting }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }),
});

/** Every [container, key] in a JSON value, depth first. */
function slots(value: unknown, found: [any, string | number][] = []): [any, string | number][] {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      found.push([value, i]);
      slots(item, found);
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      found.push([value, key]);
      slots(item, found);
    }
  }
  return found;
}

function mutate(event: unknown, mutations: Mutation[]): unknown {
  for (const { at, op, value } of mutations) {
    const all = slots(event);
    if (all.length === 0) return event;
    const [container, key] = all[at % all.length]!;
    if (op === 'delete') {
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key];
    } else container[key] = structuredClone(value);
  }
  return event;
}

function eventsOf(name: string): fc.Arbitrary<unknown> {
  const mutated = fc
    .tuple(fc.constantFrom(...fixtures[name]!), fc.array(mutationArb, { maxLength: 4 }))
    .map(([fixture, mutations]) => mutate(loadFixture(fixture), mutations));
  // Arbitrary JSON dressed as the source's envelope, and arbitrary JSON outright.
  const dressed = fc.tuple(fc.constantFrom(...fixtures[name]!), fc.jsonValue({ maxDepth: 4 })).map(([fixture, detail]) => ({
    ...loadFixture(fixture),
    detail,
  }));
  return fc.oneof({ weight: 8, arbitrary: mutated }, { weight: 1, arbitrary: dressed }, { weight: 1, arbitrary: fc.jsonValue() });
}

/** The property, for one event: a typed parse error, or "ignored" with a reason, or well-formed incidents. */
function holdsFor(source: EventSource, event: unknown): void {
  let adapted: ReturnType<typeof source.adapt>;
  try {
    adapted = source.adapt(parseEvent(source.name, source.schema, event));
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as MalformedEventError).problems).not.toBe('');
    return;
  }
  if (adapted.kind === 'ignored') {
    expect(adapted.detail).not.toBe('');
    return;
  }
  if (adapted.kind === 'tamper') {
    // A change the tamper guard watches: it names a principal and an account the event carries.
    for (const report of adapted.reports) expect(JSON.stringify(event)).toContain(report.principal.name);
    return;
  }
  expect(adapted.incidents.length).toBeGreaterThan(0);
  expect(isCredentialSignal[source.name]!(event)).toBe(true);
  const reported = JSON.stringify(event);
  for (const incident of adapted.incidents) {
    WellFormedIncident.parse(incident);
    expect(incident.severityLabel).toBe(severityLabelOf(incident.severity));
    // Nothing invented: the account and the key come from the event itself.
    // (Compared as they stand in the event's JSON text: a mutated value may hold a quote or a backslash.)
    const asInEvent = (value: string) => JSON.stringify(value).slice(1, -1);
    expect(reported).toContain(asInEvent(incident.accountId));
    if ('accessKeyId' in incident.credential && incident.credential.accessKeyId) {
      expect(reported).toContain(asInEvent(incident.credential.accessKeyId));
    }
    // A credential Keystop cannot identify is quoted exactly as the event names it.
    if (incident.credential.kind === 'unmapped') {
      for (const entity of incident.credential.entities) expect(reported).toContain(asInEvent(entity));
    }
  }
}

const RUNS_PER_SOURCE = 2_600;

describe('Adapters, property-based: any event yields a typed parse error, an ignore with a reason, or well-formed incidents', () => {
  it.each(Object.keys(fixtures))(
    '%s: incidents only for well-formed credential events, over generated and mutated events',
    (name) => {
      const source = sourceNamed(name);
      let incidents = 0;
      let ignoredEvents = 0;
      let malformed = 0;
      fc.assert(
        fc.property(eventsOf(name), (event) => {
          holdsFor(source, event);
          // Counted from a second, independent run, so the property above stays the only judge.
          try {
            const adapted = source.adapt(parseEvent(source.name, source.schema, structuredClone(event)));
            if (adapted.kind === 'incidents') incidents++;
            else ignoredEvents++;
          } catch {
            malformed++;
          }
        }),
        { numRuns: RUNS_PER_SOURCE },
      );
      // The generator must reach every outcome, or the property would hold vacuously.
      expect(incidents).toBeGreaterThan(RUNS_PER_SOURCE / 20);
      expect(ignoredEvents).toBeGreaterThan(RUNS_PER_SOURCE / 100);
      expect(malformed).toBeGreaterThan(RUNS_PER_SOURCE / 20);
    },
    60_000,
  );
});
