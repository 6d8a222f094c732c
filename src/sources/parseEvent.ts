import { MalformedEventError } from '../domain/errors';
import * as z from '../zod';

/** Parses an event at the edge; a bad one becomes a MalformedEventError that names each bad field. */
export function parseEvent<S extends z.core.$ZodType>(source: string, schema: S, event: unknown): z.infer<S> {
  const parsed = z.safeParse(schema, event);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(event)'}: ${issue.message}`)
    .join('; ');
  throw new MalformedEventError(source, problems, { cause: parsed.error });
}
