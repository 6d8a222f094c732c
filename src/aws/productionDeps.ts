import { loadConfig } from './Config';
import { parseExemptTag } from '../policies/Guardrails';
import { createDeps } from './createDeps';

const config = loadConfig(process.env);

/** Built once per Lambda container, at cold start: config and policies are validated before the first event. */
export const productionDeps = createDeps({
  region: config.AWS_REGION,
  endpoint: config.AWS_ENDPOINT_URL,
  topicArn: config.KEYSTOP_ALERT_TOPIC_ARN,
  accountId: config.KEYSTOP_ACCOUNT_ID,
  memberRole: config.KEYSTOP_MEMBER_ROLE_NAME
    ? { name: config.KEYSTOP_MEMBER_ROLE_NAME, externalId: config.KEYSTOP_EXTERNAL_ID }
    : undefined,
  guardrails: {
    dryRun: config.KEYSTOP_DRY_RUN,
    exemptPrincipals: config.KEYSTOP_EXEMPT_PRINCIPALS,
    exemptTag: parseExemptTag(config.KEYSTOP_EXEMPT_TAG),
    accounts: { own: config.KEYSTOP_ACCOUNT_ID, members: config.KEYSTOP_MEMBER_ACCOUNTS },
  },
});
