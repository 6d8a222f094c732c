import { shownStatus } from '../../report/shownStatus';
import type { IncidentRow } from '../commands/incidents/incidentRows';

/** Pure: the rows as a responder reads them in a terminal. */
export function formatIncidentRows(rows: readonly IncidentRow[]): string {
  if (rows.length === 0) return 'no incidents in this window';
  return rows
    .map((row) =>
      [
        `${row.updatedAt}  ${row.outcome.toUpperCase()} (${row.reason})  ${row.credential} (${row.credentialKind}${row.principal ? `, ${row.principal}` : ''}) in ${row.accountId}`,
        `  ${row.source} ${row.type}; policy ${row.policy ?? '(none)'}; alert ${row.alertSent ? 'sent' : 'NOT sent'}${row.held ? '; held by the breaker' : ''}; first seen ${row.firstSeenAt}`,
        ...row.actions.map((a) => `  - [${shownStatus(row.reason, a.status)}] ${a.type} ${a.target}`),
      ].join('\n'),
    )
    .join('\n');
}
