import { join, resolve } from 'node:path';
import { checkDeployment } from '../../../aws/checkDeployment';
import { packageRoot } from '../../packageRoot';
import { readService } from '../../settings/readServiceParams';
import { UsageError } from '../../UsageError';

/**
 * `keystop policies validate`: the policy file through the package-time check itself (checkDeployment, as
 * `osls package` and `keystop config check` run it): the policy schema, and whether each function's role grants what
 * the policies need. A file this command calls valid is one packaging accepts.
 */
export async function validateAction(file: string | undefined, options: { json?: boolean }): Promise<void> {
  const root = packageRoot();
  const path = resolve(file ?? join(root, 'src', 'decide', 'policies.json'));
  const service = await readService(join(root, 'serverless.yml'));
  // Only the shipped defaults besides the file: the operator's other settings are config check's to judge.
  const result = await checkDeployment({
    configParams: { default: service.params?.default },
    stage: 'default',
    cliParams: [`policiesFile=${path}`],
    serviceDir: root,
    service,
  });
  if (result.problems.length > 0 || result.policies === undefined) {
    throw new UsageError(`${path}: invalid:\n${result.problems.join('\n')}`);
  }
  process.stdout.write(
    options.json
      ? `${JSON.stringify({ file: path, policies: result.policies.map((p) => p.name) })}\n`
      : `${path}: ${result.policies.length} policies, valid\n`,
  );
}
