import { eventSourceFor } from '../events/eventSources';
import { makeHandler } from '../handlers/makeHandler';
import { cliDeps, topicArnOf } from './cliDeps';
import { decisionSettings } from './decisionSettings';
import { lambdaContext } from './lambdaContext';
import { originalEvent } from './originalEvent';
import { readEvents, unrecognizedEvent } from './readEvents';
import type { ReplayOptions } from './replayCommand';
import { reportResponses } from './reportResponses';
import { UsageError } from './UsageError';

/** `keystop replay`: the event through the handler's code path, with the deployment's settings, in your account. */
export async function replayAction(file: string, options: ReplayOptions): Promise<void> {
  const [named] = await readEvents([file]);
  const event = originalEvent(named?.event);
  topicArnOf(options);
  const settings = await decisionSettings(options);
  const source = eventSourceFor(event, settings.sourceSettings);
  if (source === undefined) throw new UsageError(`cannot replay ${file}: ${unrecognizedEvent(event)}`);
  const { deps, printedAlerts } = await cliDeps(options, settings);
  await reportResponses(() => makeHandler(source, deps)(event, lambdaContext('keystop-replay')), { json: options.json, printedAlerts });
}
