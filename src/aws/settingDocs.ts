/** What each setting means and the form it takes, for docs/settings.md: kept out of the functions' bundles. */
export const settingDocs: Record<string, { meaning: string; form: string }> = {
  KEYSTOP_ALERT_TOPIC_ARN: {
    meaning: 'where alerts go (the stack sets its own topic)',
    form: 'an SNS topic ARN',
  },
  dryRun: {
    meaning: 'report what would be done, change nothing',
    form: 'true or false',
  },
  exemptPrincipals: {
    meaning:
      'user and role ARNs or ARN patterns (`*` matches any run of characters in the path or name) that are only ever alerted on; each in a named account (a bare name or a wildcard account is refused: anyone can create a principal of that name)',
    form: 'comma-separated ARN patterns in named accounts',
  },
  exemptTag: {
    meaning: "a tag on a user or role (read live from IAM) that exempts it from containment; '' turns this off",
    form: "key=value, or ''",
  },
  honeyKeys: {
    meaning: 'access key ids created only as bait: any API call made with one is contained; empty: no honey-key rule',
    form: 'comma-separated AKIA… key ids',
  },
  responders: {
    meaning:
      'user and role ARNs or ARN patterns, each in a named account, of the people and automation allowed to undo a containment (re-enable a key, remove the deny policy): the tamper guard records their changes as a release instead of undoing them',
    form: 'comma-separated ARN patterns in named accounts',
  },
  operatorRoles: {
    meaning:
      "exact ARNs of the roles people operate Keystop with: besides Keystop's own roles, the only principals that may subscribe to or publish on the alert topic, send to the failure queue and write the state table (`keystop breaker`, `release`, `replay`)",
    form: 'comma-separated role ARNs, no wildcard',
  },
  guardWindowDays: {
    meaning: 'how long after containing a credential the tamper guard puts back a key someone re-enabled or a deny policy someone removed',
    form: 'a whole number of days from 1 to 365',
  },
  KEYSTOP_STATE_TABLE: {
    meaning: 'the DynamoDB table (TTL, on demand) for de-duplication and the breaker (the stack sets its own)',
    form: 'a table name',
  },
  dedupWindowMinutes: {
    meaning: 'how long a credential already handled makes later reports of it duplicates',
    form: 'a whole number of minutes from 1 to 525600',
  },
  breakerLimit: {
    meaning: 'at most this many automatic containments per account…',
    form: 'a whole number from 1 to 10000',
  },
  breakerWindowMinutes: {
    meaning: '…per rolling window of this length',
    form: 'a whole number of minutes from 1 to 525600',
  },
  orgBreakerLimit: {
    meaning:
      "with member accounts: at most this many automatic containments across all accounts per breakerWindowMinutes (a storm that reaches every account stops here), and each account's limit becomes at most its share, floor((orgBreakerLimit - 1) / 3), so that three accounts cannot fill it (default: 8; docs/operations.md)",
    form: 'a whole number from 1 to 100000',
  },
  chatbotFormat: {
    meaning: "https subscribers (AWS Chatbot) get Chatbot's custom-notification format, so Slack and Teams render the alert",
    form: 'true or false',
  },
  auditBus: {
    meaning: 'the EventBridge bus (name, this account and region) that gets one audit event per response',
    form: 'an EventBridge bus name',
  },
  activityLookup: {
    meaning: 'look up what the key did in CloudTrail after containment',
    form: 'true or false',
  },
  activityWindowHours: {
    meaning: 'how far back the lookup goes',
    form: 'a whole number of hours from 1 to 2160',
  },
  activityRegions: {
    meaning: "regions to search; empty: the incident's region and `us-east-1` (where IAM and STS calls are recorded)",
    form: 'comma-separated regions',
  },
  activityMaxPages: {
    meaning: 'LookupEvents pages (50 events each) read per region at most',
    form: 'a whole number from 1 to 100',
  },
  activityTimeLimitMs: {
    meaning: 'the whole lookup stops here and reports what it read as partial',
    form: 'a whole number of milliseconds from 100 to 600000',
  },
  activityInlineWaitMs: {
    meaning: 'how long the first alert waits for the lookup; a slower lookup follows as a second message',
    form: 'a whole number of milliseconds from 0 to 600000',
  },
  AWS_REGION: {
    meaning: 'the region the function runs in (set by Lambda)',
    form: 'a region',
  },
  KEYSTOP_ACCOUNT_ID: {
    meaning: 'the account Keystop runs in, set at deploy time (`AWS::AccountId`, no STS call at cold start)',
    form: 'a 12-digit account id',
  },
  memberRoleName: {
    meaning:
      'organisation: the role Keystop assumes in member accounts (`deploy/member-role.yml`, e.g. `KeystopMember`); empty: single account, and the roles get no `sts:AssumeRole`',
    form: 'an IAM role name, or empty',
  },
  externalId: {
    meaning: "the ExternalId the member role's trust policy requires",
    form: '2–1224 characters of [A-Za-z0-9+=,.@:/_-], or empty',
  },
  memberAccounts: {
    meaning:
      'member account ids Keystop may act in, or `*` for every account whose member role trusts it; others get `account-not-allowed`',
    form: 'comma-separated 12-digit account ids, or *',
  },
  organizationId: {
    meaning:
      'the organisation (o-…) whose accounts Keystop may reach: the functions assume the member role only in its accounts (`aws:ResourceOrgID`) and the member role trusts only its principals (`aws:PrincipalOrgID`); required with memberAccounts `*`',
    form: 'an organisation id o-…, or empty',
  },
  KEYSTOP_OWN_ROLE_NAMES: {
    meaning: "Keystop's own function roles (the stack names them): never contained, whatever a finding says",
    form: 'comma-separated role names',
  },
  KEYSTOP_STAGE: {
    meaning: "the deployment's stage (the stack sets it): a dimension of every metric, so that stages in one account stay apart",
    form: 'a stage name',
  },
  logLevel: {
    meaning: "the functions' log level (Powertools); DEBUG logs whole events: use it briefly",
    form: 'DEBUG, INFO, WARN or ERROR',
  },
  maxRetries: {
    meaning: 'Lambda retries of a failed event before it goes to the failure queue',
    form: "a whole number from 0 to 2 (Lambda's limit)",
  },
  policiesFile: {
    meaning:
      'the response policies, bundled into every function at package time (relative to serverless.yml); checked like `keystop policies validate`',
    form: 'a path to a JSON policy file',
  },
  tracing: {
    meaning:
      'X-Ray active tracing of every function, with a subsegment per AWS call; off by default (docs/operations.md: cost, what a trace shows)',
    form: 'true or false',
  },
  debug: {
    meaning:
      "stack traces in the functions' logs point into the TypeScript sources (Node's `--enable-source-maps`); off by default because reading the map costs every cold start (bench/RESULTS.md); the map is shipped either way (docs/operations.md: mapping a stack trace by hand)",
    form: 'true or false',
  },
  securityHubAction: {
    meaning:
      'create Security Hub\'s "Keystop: contain" custom action and its rule (approve in one step from the findings page); off by default because creating it fails the deploy where Security Hub is not enabled. `keystop contain --incident` approves without it',
    form: 'true or false',
  },
  alarmFailedEventsDepth: {
    meaning: 'alarm when the failure queue holds more events than this',
    form: 'a whole number from 0 to 100000',
  },
  alarmFailedEventsAgeSeconds: {
    meaning: 'alarm when the oldest event in the failure queue is older than this (nobody replayed it)',
    form: 'a whole number of seconds from 0 to 1209600',
  },
  alarmFunctionErrors: {
    meaning: "alarm when the functions' errors in a minute exceed this",
    form: 'a whole number from 0 to 100000',
  },
  alarmThrottles: {
    meaning: "alarm when the functions' throttled invocations in a minute exceed this",
    form: 'a whole number from 0 to 100000',
  },
  alarmContainmentFailures: {
    meaning: 'alarm when failed containments in a minute exceed this',
    form: 'a whole number from 0 to 100000',
  },
  alarmBreakerOpenings: {
    meaning: 'alarm when blast-radius breakers opened in a minute exceed this',
    form: 'a whole number from 0 to 100000',
  },
  alarmForensicsFailures: {
    meaning: 'alarm when this many CloudTrail lookups failed within an hour',
    form: 'a whole number from 0 to 100000',
  },
};
