import { Logger } from '@aws-lambda-powertools/logger';
import { defaultStateSettings } from '../aws/Config';
import { createDeps, type DepsSettings } from '../aws/createDeps';
import { defaultGuardrails } from '../decide/Guardrails';
import { unavailableEnricher } from '../report/activity/Enricher';
import type { Deps } from '../respond/Deps';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_LOOKUP_UNAVAILABLE, LOCAL_REGION } from './localClients';

/** What a local responder needs besides the emulator: where alerts go, and its state table (none: no state). */
type LocalSettings = Pick<DepsSettings, 'topicArn'> & { stateTable: string | undefined } & Partial<Omit<DepsSettings, 'state'>> & {
    state?: Partial<NonNullable<DepsSettings['state']>>;
  };

/**
 * The responder wired to the local emulator, as the sandbox and the tests run it: the emulator's account and region,
 * dummy credentials, a deployment's default guardrails and state settings (docs/settings.md), and the CloudTrail
 * lookup reported as unavailable and no event history read (the emulator lacks LookupEvents). Any setting can be overridden.
 */
export function localDeps(endpoint: string, { stateTable, state, ...settings }: LocalSettings): Deps {
  return createDeps({
    region: LOCAL_REGION,
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    accountId: LOCAL_ACCOUNT_ID,
    guardrails: { ...defaultGuardrails, accounts: { own: LOCAL_ACCOUNT_ID, members: [] } },
    enricher: unavailableEnricher(LOCAL_LOOKUP_UNAVAILABLE),
    // The emulator has no event history: only the creation log is followed, unless a local CloudTrail is given.
    eventHistory: false,
    logger: new Logger({ serviceName: 'keystop', logLevel: 'SILENT' }),
    ...settings,
    state: stateTable === undefined ? undefined : { ...defaultStateSettings(), ...state, tableName: stateTable },
  });
}
