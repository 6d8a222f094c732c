import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalAwsUnavailableError, startLocalAws } from '../../src/local/startLocalAws';

describe('Local AWS emulator', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('says how to install moto when the python it is told to use cannot import it', async () => {
    vi.stubEnv('KEYSTOP_PYTHON', '/nonexistent/python3');

    const start = startLocalAws();

    await expect(start).rejects.toBeInstanceOf(LocalAwsUnavailableError);
    await expect(start).rejects.toThrow("pip install 'moto[server]'");
  });

  it('starts on a loopback port, answers, and is gone after stop', async () => {
    const aws = await startLocalAws();
    expect(aws.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${aws.endpoint}/moto-api/`)).ok).toBe(true);

    await aws.stop();

    expect(() => process.kill(aws.pid, 0)).toThrow();
  });
});
