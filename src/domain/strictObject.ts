import * as z from '../zod';

/** A strict object whose unknown-key error names the keys it does take (policies and their action specs). */
export function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; valid keys: ${Object.keys(shape).join(', ')}`
        : undefined,
  });
}
