import { Config } from '../../aws/Config';
import { defaultPolicies } from '../../decide/defaultPolicies';
import { type Guardrails, parseExemptTag } from '../../decide/Guardrails';
import type { ResponsePolicy } from '../../decide/ResponsePolicy';
import type { SourceSettings } from '../../sources/eventSources';
import type * as z from '../../zod';
import type { DecisionOptions } from '../options/decisionOptions';
import { UsageError } from '../UsageError';
import { loadPolicyFile } from './loadPolicyFile';
import { stageSettings } from './stageSettings';

export interface DecisionSettings {
  policies: readonly ResponsePolicy[];
  sourceSettings: SourceSettings;
  /** Without the account scope: each command knows which accounts it may act in. */
  guardrails: Omit<Guardrails, 'accounts'>;
  /** Undefined when neither --member-accounts nor KEYSTOP_MEMBER_ACCOUNTS is set. */
  memberAccounts?: string[];
  breaker: { limit: number; windowMinutes: number };
  /** The stage whose keystop.settings.yml entry was read (--stage), if any. */
  stage?: string;
  /** For people: where the settings not given as flags or environment came from. */
  source: string;
}

/** Parses one flag with the schema the function parses its environment variable with; a bad value is exit 2. */
function parsed<K extends keyof typeof Config.shape>(env: K, flag: string, value: string | undefined): z.output<(typeof Config.shape)[K]> {
  const result = Config.shape[env].safeParse(value);
  if (!result.success) {
    const name = flag === env ? env : `${flag} (or ${env})`;
    throw new UsageError(`${name} ${JSON.stringify(value)} ${result.error.issues[0]?.message ?? 'is not valid'}`);
  }
  return result.data as z.output<(typeof Config.shape)[K]>;
}

/**
 * The deployment settings as the CLI was given them: flags over environment over the --stage's entry in
 * keystop.settings.yml over the defaults, checked like the function checks them.
 */
export async function decisionSettings(options: DecisionOptions): Promise<DecisionSettings> {
  const stage = stageSettings(options.stage);
  const file = stage.env;
  const exemptTag = parsed('KEYSTOP_EXEMPT_TAG', '--exempt-tag', options.exemptTag ?? file.KEYSTOP_EXEMPT_TAG);
  const memberAccounts = options.memberAccounts ?? file.KEYSTOP_MEMBER_ACCOUNTS;
  const policiesFile = options.policies ?? stage.policiesFile;
  return {
    policies: policiesFile ? await loadPolicyFile(policiesFile) : defaultPolicies,
    sourceSettings: {
      honeyKeys: parsed('KEYSTOP_HONEY_KEYS', '--honey-keys', options.honeyKeys ?? file.KEYSTOP_HONEY_KEYS),
      responders: parsed('KEYSTOP_RESPONDERS', '--responders', options.responders ?? file.KEYSTOP_RESPONDERS),
    },
    guardrails: {
      dryRun: options.dryRun === true || parsed('KEYSTOP_DRY_RUN', 'KEYSTOP_DRY_RUN', process.env.KEYSTOP_DRY_RUN ?? file.KEYSTOP_DRY_RUN),
      exemptPrincipals: parsed(
        'KEYSTOP_EXEMPT_PRINCIPALS',
        '--exempt-principals',
        options.exemptPrincipals ?? file.KEYSTOP_EXEMPT_PRINCIPALS,
      ),
      exemptTag: parseExemptTag(exemptTag),
      // Keystop's own roles, as the deployment's environment names them: a command never contains them either.
      ownRoles: {
        functionRoleNames: parsed('KEYSTOP_OWN_ROLE_NAMES', 'KEYSTOP_OWN_ROLE_NAMES', process.env.KEYSTOP_OWN_ROLE_NAMES),
        memberRoleName:
          parsed(
            'KEYSTOP_MEMBER_ROLE_NAME',
            'KEYSTOP_MEMBER_ROLE_NAME',
            process.env.KEYSTOP_MEMBER_ROLE_NAME ?? file.KEYSTOP_MEMBER_ROLE_NAME,
          ) || undefined,
      },
    },
    ...(memberAccounts === undefined ? {} : { memberAccounts: parsed('KEYSTOP_MEMBER_ACCOUNTS', '--member-accounts', memberAccounts) }),
    breaker: {
      limit: parsed('KEYSTOP_BREAKER_LIMIT', '--breaker-limit', options.breakerLimit ?? file.KEYSTOP_BREAKER_LIMIT),
      windowMinutes: parsed(
        'KEYSTOP_BREAKER_WINDOW_MINUTES',
        '--breaker-window-minutes',
        options.breakerWindowMinutes ?? file.KEYSTOP_BREAKER_WINDOW_MINUTES,
      ),
    },
    ...(stage.stage === undefined ? {} : { stage: stage.stage }),
    source: stage.source,
  };
}
