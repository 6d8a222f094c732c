import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { IncidentResponse } from '../domain/IncidentResponse';
import type { Deps } from '../respond/Deps';
import { respond } from '../respond/respond';
import type { EventSource } from '../sources/EventSource';
import { parseEvent } from '../sources/parseEvent';
import { alertOnFailure } from './alertOnFailure';
import { recordMetrics } from './recordMetrics';

/** The one pipeline every source goes through: log context → metrics → alert on failure → parse → adapt → respond. */
export function makeHandler<S extends EventSource>(source: S, deps: Deps) {
  return middy<unknown, IncidentResponse[]>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(recordMetrics(source.name, deps))
    .use(alertOnFailure(deps))
    .handler((event) => respond(source.adapt(parseEvent(source.name, source.schema, event)), deps));
}
