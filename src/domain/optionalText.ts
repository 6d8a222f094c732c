import * as z from '../zod';

/** An optional string field where AWS sometimes sends "" for "not known": read as absent, never as a value. */
export const optionalText = z.pipe(
  z.transform((value) => (value === '' ? undefined : value)),
  z.optional(z.string()),
);
