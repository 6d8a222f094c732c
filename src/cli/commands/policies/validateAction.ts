import { join } from 'node:path';
import { packageRoot } from '../../packageRoot';
import { loadPolicyFile } from '../../settings/loadPolicyFile';

/** `keystop policies validate`: loads only the policy schema, so it answers as fast as the CLI starts. */
export async function validateAction(file: string | undefined, options: { json?: boolean }): Promise<void> {
  const path = file ?? join(packageRoot(), 'src', 'decide', 'policies.json');
  const policies = await loadPolicyFile(path);
  process.stdout.write(
    options.json
      ? `${JSON.stringify({ file: path, policies: policies.map((p) => p.name) })}\n`
      : `${path}: ${policies.length} policies, valid\n`,
  );
}
