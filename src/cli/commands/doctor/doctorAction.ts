import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_EXEMPT_TAG, parseExemptTag } from '../../../decide/Guardrails';
import { resolveAws } from '../../operator/resolveAws';
import { checkExemptTag } from './checkExemptTag';
import type { DoctorOptions } from './doctorCommand';

/** `keystop doctor`: exit 1 when a check warns or cannot tell. */
export async function doctorAction(options: DoctorOptions): Promise<void> {
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
}
