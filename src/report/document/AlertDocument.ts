import { credentialKinds, incidentSources } from '../../domain/CredentialIncident';
import { outcomes } from '../../domain/IncidentResponse';
import * as z from '../../zod';
import { ActivityReport } from '../activity/ActivityReport';
import { ALERT_SCHEMA, ALERT_SCHEMA_VERSION } from './alertSchema';

/**
 * The JSON document that SNS subscribers other than email receive (sqs, lambda, http/https, firehose): one per
 * alert, versioned. docs/alert-schema.md documents it and docs/alert-schema.json is generated from this schema
 * (a test keeps them equal). Within a major version fields are only added, never renamed or removed.
 */

const alertTypes = ['response', 'activity', 'failure', 'breaker', 'alarm'] as const;

export const AlertDocument = z.object({
  schema: z.literal(ALERT_SCHEMA),
  version: z.literal(ALERT_SCHEMA_VERSION),
  /**
   * `response`: what Keystop did; `activity`: the follow-up with what the key did; `failure`: Keystop itself failed;
   * `breaker`: an account's blast-radius breaker opened (reason `breaker-open`; no incident); `alarm`: one of
   * Keystop's CloudWatch alarms went off (reason `alarm`) or recovered (reason `alarm-resolved`; no incident).
   */
  alertType: z.enum(alertTypes),
  /** The SNS subject: one line, printable ASCII, at most 100 characters. */
  subject: z.string().check(z.maxLength(100)),
  /** One sentence: what happened and what Keystop did. */
  headline: z.string(),
  incident: z.nullable(
    z.object({
      id: z.string(),
      source: z.enum(incidentSources),
      type: z.string(),
      title: z.string(),
      severity: z.number(),
      severityLabel: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
      accountId: z.string(),
      region: z.string(),
      observedAt: z.string(),
      sample: z.boolean(),
      findingId: z.string(),
      findingArn: z.optional(z.string()),
    }),
  ),
  credential: z.nullable(
    z.object({
      kind: z.enum(credentialKinds),
      /** What the kind means, for people. */
      description: z.string(),
      accessKeyId: z.optional(z.string()),
      userName: z.optional(z.string()),
      roleName: z.optional(z.string()),
      sessionName: z.optional(z.string()),
      principalName: z.optional(z.string()),
      principalArn: z.optional(z.string()),
    }),
  ),
  /** Where the credential was used from, as far as the report says. */
  attacker: z.object({
    sourceIp: z.optional(z.string()),
    country: z.optional(z.string()),
    city: z.optional(z.string()),
    asnOrg: z.optional(z.string()),
    isp: z.optional(z.string()),
    api: z.optional(z.string()),
    userAgent: z.optional(z.string()),
    exposedUrl: z.optional(z.string()),
  }),
  response: z.object({
    outcome: z.enum(outcomes),
    /** The planner's reason: matched, sample-finding, exempt-principal, dry-run, notify-only-policy, … */
    reason: z.string(),
    explanation: z.string(),
    policy: z.nullable(z.string()),
    actions: z.array(z.object({ type: z.string(), status: z.enum(['done', 'skipped', 'failed']), target: z.string(), reason: z.string() })),
  }),
  /** The runbook for this kind of credential and outcome, in order. */
  nextSteps: z.array(z.string()),
  /**
   * What remains usable after Keystop's response (other keys, passwords, sessions already issued), and what the
   * containment costs legitimate users (e.g. every workload on a role whose sessions were denied). Response and
   * activity alerts only.
   */
  afterResponse: z.optional(z.object({ stillUsable: z.array(z.string()), impact: z.array(z.string()) })),
  /** Console links; they open in whichever account the reader is signed in to (the account is in `incident`). */
  links: z.object({
    principal: z.optional(z.url()),
    finding: z.optional(z.url()),
    cloudTrail: z.optional(z.url()),
  }),
  /** What the key did, from CloudTrail; null where the alert type has none. */
  activity: z.nullable(ActivityReport),
});
export type AlertDocument = z.infer<typeof AlertDocument>;
