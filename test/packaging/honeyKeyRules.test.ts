import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type CfnTemplate, packageTemplate, resourcesOfType } from '../support/packageTemplate';

/**
 * EventBridge delivers read-only CloudTrail management events (Get*, List*, Describe*, sts:GetCallerIdentity) only to
 * a rule in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS (EventBridge User Guide, "Receiving read-only
 * management events from AWS services"). An attacker's first call with a leaked key is such a call.
 */
const ALL_MANAGEMENT_EVENTS = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
/** Names of read-only API calls, as CloudTrail records them (readOnly: true). */
const READ_ONLY = /^(Get|List|Describe|Lookup|Search|Head|BatchGet|Select|Scan|Query)/;

let keystop: CfnTemplate;
let forwarder: CfnTemplate;

beforeAll(async () => {
  ({ template: keystop } = await packageTemplate('--param=honeyKeys=AKIAHONEYBAITKEY0001'));
  forwarder = parse(await readFile(join(import.meta.dirname, '..', '..', 'deploy', 'forward-events.yml'), 'utf8'));
}, 300_000);

type Rule = { Properties: Record<string, any> };
const cloudTrailRules = (template: CfnTemplate) =>
  resourcesOfType(template, 'AWS::Events::Rule').filter(([, rule]) =>
    (rule.Properties.EventPattern?.['detail-type'] ?? []).includes('AWS API Call via CloudTrail'),
  );
/** A rule whose pattern names only write calls cannot miss a read-only one; any other rule can. */
const mayMatchReadOnlyCalls = (rule: Rule) => {
  const names: unknown[] | undefined = rule.Properties.EventPattern.detail?.eventName;
  return names === undefined || names.some((name) => typeof name !== 'string' || READ_ONLY.test(name));
};

describe('Honey keys see every call, read-only ones included', () => {
  it("puts Keystop's honey-key rule and the forwarder's in the state that also delivers read-only management events", () => {
    expect(keystop.Resources.HoneyKeyUseRule!.Properties.State).toBe(ALL_MANAGEMENT_EVENTS);
    expect(forwarder.Resources.HoneyKeyUse!.Properties.State).toBe(ALL_MANAGEMENT_EVENTS);
  });

  it.each([
    ['the packaged template', () => keystop],
    ['the forwarder', () => forwarder],
  ])('leaves no CloudTrail rule of %s that may match a read-only call in plain ENABLED', (_, template) => {
    const rules = cloudTrailRules(template());
    const readOnlyCapable = rules.filter(([, rule]) => mayMatchReadOnlyCalls(rule));

    // The honey-key rule is one; the quarantine and tamper-guard rules name write calls only.
    expect(readOnlyCapable.map(([id]) => id)).toContain(template() === keystop ? 'HoneyKeyUseRule' : 'HoneyKeyUse');
    expect(rules.length).toBeGreaterThan(readOnlyCapable.length);
    for (const [id, rule] of readOnlyCapable) expect(rule.Properties.State, id).toBe(ALL_MANAGEMENT_EVENTS);
  });
});
