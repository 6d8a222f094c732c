import { join } from 'node:path';
import { Command } from 'commander';
import { containmentActions } from '../actions/containmentActions';
import { eventSourceFor, noSourceSettings, type SourceSettings } from '../events/eventSources';
import { parseEvent } from '../events/parseEvent';
import { defaultGuardrails } from '../policies/Guardrails';
import { planResponse } from '../policies/planResponse';
import type { ResponsePolicy } from '../policies/ResponsePolicy';
import { loadPolicyFile } from './loadPolicyFile';
import { readEvents, unrecognizedEvent } from './readEvents';
import { sourceSettingsFromEnv } from './sourceSettingsFromEnv';

const BUILT_IN = join(import.meta.dirname, '..', 'policies', 'policies.json');

export function policiesCommand(): Command {
  const command = new Command('policies').description('Check and explain response policies (no AWS call).');

  command
    .command('validate')
    .description('Validate a policy file (default: the built-in src/policies/policies.json).')
    .argument('[file]', 'a JSON policy file')
    .action(async (file: string | undefined) => {
      const policies = await loadPolicyFile(file ?? BUILT_IN);
      process.stdout.write(`${file ?? BUILT_IN}: ${policies.length} policies, valid\n`);
    });

  command
    .command('explain')
    .description('Which policy matches this event, and what it would do.')
    .argument('<event.json>', 'an EventBridge event')
    .option('--policies <file>', 'a policy file instead of the built-in one')
    .action(async (eventFile: string, options: { policies?: string }) => {
      const policies = await loadPolicyFile(options.policies ?? BUILT_IN);
      const [named] = await readEvents([eventFile]);
      const event = named?.event;
      process.stdout.write(`${explain(event, policies, sourceSettingsFromEnv()).join('\n')}\n`);
    });

  return command;
}

/** Pure: the lines `policies explain` prints. Exemption tags are read live when responding, so not shown here. */
export function explain(
  event: unknown,
  policies: readonly ResponsePolicy[],
  settings: SourceSettings = noSourceSettings,
): string[] {
  const source = eventSourceFor(event, settings);
  if (source === undefined) return [`ignored: ${unrecognizedEvent(event)}`];
  const adapted = source.adapt(parseEvent(source.name, source.schema, event));
  if (adapted.kind === 'ignored') return [`ignored (${adapted.reason}): ${adapted.detail}`];
  return adapted.incidents.flatMap((incident) => {
    const plan = planResponse(policies, incident, defaultGuardrails);
    return [
      `incident ${incident.id}: ${incident.type}, ${incident.credential.kind} (severity ${incident.severity})`,
      `  policy: ${plan.policy ?? '(none)'}; reason: ${plan.reason}; ${plan.execute ? 'would act' : 'would only alert'}`,
      `  why: ${plan.explanation}`,
      ...plan.steps.map((step) => `  - ${plan.execute ? 'would' : 'held back:'} ${containmentActions[step.type].describe(incident)}`),
      ...plan.inapplicable.map((step) => `  - not applicable to a ${incident.credential.kind}: ${step.type}`),
      '  - then alert responders',
    ];
  });
}

