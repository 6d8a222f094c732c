import { Command } from 'commander';
import { type AwsOptions, withAwsOptions } from './awsOptions';

interface DoctorOptions extends AwsOptions {
  principal?: string;
  json?: boolean;
}

/** `keystop doctor`: checks of what Keystop's safety depends on in the account, with your credentials. */
export function doctorCommand(): Command {
  return withAwsOptions(
    new Command('doctor')
      .description('Check what Keystop relies on: whether the exemption tag can be set by your principal (or --principal).')
      .option('--principal <arn>', 'the IAM user or role ARN to check (default: the one your credentials belong to)')
      .option('--json', 'print the check as JSON'),
  ).action(async (options: DoctorOptions) => {
    const [{ IAMClient }, { STSClient }, { checkExemptTag }, { resolveAws }, { DEFAULT_EXEMPT_TAG, parseExemptTag }] = await Promise.all([
      import('@aws-sdk/client-iam'),
      import('@aws-sdk/client-sts'),
      import('./checkExemptTag'),
      import('./resolveAws'),
      import('../decide/Guardrails'),
    ]);
    const tag = parseExemptTag(process.env.KEYSTOP_EXEMPT_TAG ?? `${DEFAULT_EXEMPT_TAG.key}=${DEFAULT_EXEMPT_TAG.value}`);
    if (tag === undefined) {
      process.stdout.write('ok   exemption tag: switched off (KEYSTOP_EXEMPT_TAG is empty), nothing to set\n');
      return;
    }
    const aws = await resolveAws(options);
    const check = await checkExemptTag({ iam: new IAMClient(aws), sts: new STSClient(aws) }, tag, options.principal);
    const label = check.ok === true ? 'ok  ' : check.ok === false ? 'WARN' : '??  ';
    process.stdout.write(options.json ? `${JSON.stringify(check)}\n` : `${label} exemption tag: ${check.detail}\n`);
    if (check.ok !== true) process.exitCode = 1;
  });
}
