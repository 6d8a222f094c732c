import { describe, expect, it } from 'vitest';
import { messageOf } from '../../src/domain/errors';

describe('messageOf: an error as alerts and logs show it', () => {
  it("keeps the error's name and message, without the SDK's hint for programmers", () => {
    const error = Object.assign(
      new Error(
        '@aws-sdk XML parse error: mismatched tags\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
      ),
      { name: 'SyntaxError' },
    );

    expect(messageOf(error)).toBe('SyntaxError: @aws-sdk XML parse error: mismatched tags');
    expect(messageOf(new Error('AccessDenied: no'))).toBe('Error: AccessDenied: no');
  });
});
