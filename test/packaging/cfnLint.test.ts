import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ORGANISATION_PARAMS, packageTemplate } from '../support/packageTemplate';

/**
 * AWS's CloudFormation linter (cfn-lint, installed with the machine's Python) on what is deployed: the packaged
 * templates of both deployment shapes and the member-account and forwarder templates. Errors fail; the warnings
 * below are explained, every other warning fails too:
 * - W3005: osls adds DependsOn on each function's role, which its GetAtt already implies (generated, harmless).
 * - W1028: a branch of a nested Fn::If that one combination of conditions cannot reach (organisation id without a
 *   member role); the template is the same for every configuration on purpose.
 * - W8003: osls writes each param's value into the template, so an Fn::Equals on an unset param compares two
 *   literals; the condition stays so that the template reads the same whatever the params.
 */
const EXPLAINED = ['W3005', 'W1028', 'W8003'];

async function cfnLint(files: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)('cfn-lint', ['--ignore-checks', ...EXPLAINED, '--', ...files], { timeout: 120_000 });
    return { code: 0, output: stdout };
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('cfn-lint is not installed: pip install cfn-lint');
    return { code: Number(failure.code), output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

describe('cfn-lint', () => {
  it('finds nothing in the packaged templates (single account and organisation) and deploy/*.yml', async () => {
    const single = await packageTemplate();
    const organisation = await packageTemplate(...ORGANISATION_PARAMS);
    const template = (dir: string) => join(dir, 'cloudformation-template-update-stack.json');

    const result = await cfnLint([
      template(single.dir),
      template(organisation.dir),
      'deploy/member-role.yml',
      'deploy/forward-events.yml',
      'deploy/member-forward.yml',
    ]);

    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 300_000);
});
