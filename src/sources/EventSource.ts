import type { AdaptedEvent } from '../domain/AdaptedEvent';
import type * as z from '../zod';

/** A kind of event Keystop consumes: its schema at the edge and its pure adapter to incidents. */
export interface EventSource<S extends z.core.$ZodType = z.core.$ZodType> {
  name: string;
  schema: S;
  adapt(event: z.infer<S>): AdaptedEvent;
  /** Whether a raw event looks like this source's (EventBridge source and detail-type), for the CLI's routing. */
  recognizes(event: { source?: unknown; 'detail-type'?: unknown }): boolean;
}

export function eventSource<S extends z.core.$ZodType>(source: EventSource<S>): EventSource<S> {
  return source;
}
