import { makeHandler } from '../../../handlers/makeHandler';
import { eventSourceFor } from '../../../sources/eventSources';
import { originalEvent } from '../../input/originalEvent';
import { readEvents, unrecognizedEvent } from '../../input/readEvents';
import { cliDeps, topicArnOf } from '../../operator/cliDeps';
import { compareWithDeployment } from '../../operator/compareDeployed';
import { reportResponses } from '../../operator/reportResponses';
import { lambdaContext } from '../../sandbox/lambdaContext';
import { announceSettings } from '../../settings/announceSettings';
import { decisionSettings } from '../../settings/decisionSettings';
import { UsageError } from '../../UsageError';
import type { ReplayOptions } from './replayCommand';

/** `keystop replay`: the event through the handler's code path, with the deployment's settings, in your account. */
export async function replayAction(file: string, options: ReplayOptions): Promise<void> {
  // A file may hold several events (get-findings output, a CloudTrail log file): each is replayed, in order.
  const events = (await readEvents([file])).map((named) => originalEvent(named.event));
  topicArnOf(options);
  const settings = await decisionSettings(options);
  const sources = events.map((event) => {
    const source = eventSourceFor(event, settings.sourceSettings);
    if (source === undefined) throw new UsageError(`cannot replay ${file}: ${unrecognizedEvent(event)}`);
    return source;
  });
  announceSettings(settings, options);
  await compareWithDeployment(options, settings);
  const { deps, printedAlerts } = await cliDeps(options, settings);
  for (const [index, event] of events.entries()) {
    await reportResponses(() => makeHandler(sources[index]!, deps)(event, lambdaContext('keystop-replay')), {
      json: options.json,
      printedAlerts,
    });
  }
}
