import { describe, expect, it } from 'vitest';
import { localResponder } from '../support/localAws';
import { clockStart } from '../support/testClock';

const HOUR = 3600_000;

describe("The breaker's memo of members found established (src/stores/dynamoEstablishedMemo.ts), on the emulator", () => {
  it('answers what was remembered for that breaker in that window only, and adds to it', async () => {
    const { deps } = await localResponder();
    const state = deps.state!;
    const at = new Date(clockStart());

    await state.rememberEstablished('111122223333', ['user/billing-export', 'role/etl'], at);
    await state.rememberEstablished('111122223333', ['user/billing-export', 'user/reports'], new Date(at.getTime() + 1000));

    expect((await state.established('111122223333', new Date(at.getTime() + 2000))).sort()).toEqual([
      'role/etl',
      'user/billing-export',
      'user/reports',
    ]);
    expect(await state.established('444455556666', at)).toEqual([]);
    // Two windows later (the default breaker window is an hour): asked again from nothing.
    expect(await state.established('111122223333', new Date(at.getTime() + 2 * HOUR))).toEqual([]);
  });
});
