import type { CredentialRecord } from '../../../decide/CredentialRecord';
import { principalNameOf } from '../../../domain/CredentialIncident';
import type { Outcome } from '../../../domain/IncidentResponse';

/** One credential as `keystop incidents` lists it: the JSON contract of `--json`. */
export interface IncidentRow {
  credential: string;
  credentialKind: string;
  principal: string | null;
  accountId: string;
  outcome: Outcome;
  reason: string;
  policy: string | null;
  actions: { type: string; status: string; target: string }[];
  /** The strongest level responders were told about: `none` means no alert went out (yet). */
  alerted: 'none' | 'alerted' | 'contained';
  alertSent: boolean;
  held: boolean;
  incidentId: string;
  source: string;
  type: string;
  firstSeenAt: string;
  respondedAt: string;
  updatedAt: string;
}

export interface IncidentFilter {
  since: Date;
  accountId?: string;
  outcomes?: readonly Outcome[];
}

/** Pure: the records as rows, filtered, newest first. A record without a response yet (a claim in flight) is left out. */
export function incidentRows(records: readonly CredentialRecord[], filter: IncidentFilter): IncidentRow[] {
  return records
    .flatMap((record): IncidentRow[] => {
      const last = record.last;
      if (last === undefined) return [];
      const { incident } = last;
      const credential = incident.credential;
      return [
        {
          credential: ('accessKeyId' in credential && credential.accessKeyId) || principalNameOf(credential) || credential.kind,
          credentialKind: credential.kind,
          principal: record.principal ?? principalNameOf(credential) ?? null,
          accountId: record.accountId,
          outcome: last.outcome,
          reason: last.reason,
          policy: last.policy ?? null,
          actions: last.actions.map(({ type, status, target }) => ({ type, status, target })),
          alerted: record.alerted,
          alertSent: record.alerted !== 'none' && record.pendingAlert === undefined,
          held: record.held,
          incidentId: incident.id,
          source: incident.source,
          type: incident.type,
          firstSeenAt: record.firstSeenAt,
          respondedAt: last.at,
          updatedAt: record.updatedAt,
        },
      ];
    })
    .filter(
      (row) =>
        Date.parse(row.updatedAt) >= filter.since.getTime() &&
        (filter.accountId === undefined || row.accountId === filter.accountId) &&
        (filter.outcomes === undefined || filter.outcomes.includes(row.outcome)),
    )
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
