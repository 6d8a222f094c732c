import { isSummary } from '../activity/isSummary';
import type { AlertDocument } from '../document/AlertDocument';

/**
 * Pure: the alert as an AWS Chatbot (Amazon Q Developer in chat applications) custom notification, so Slack and
 * Teams render it. Its description is markdown: every value from the event goes inside an inline code span (with
 * backticks removed), so it can neither format nor link; the document's strings are already free of mentions,
 * angle brackets and markdown links. Only Keystop's own console links are markdown links.
 */
export function formatChatbotNotification(document: AlertDocument) {
  const { incident, credential, attacker: a, response } = document;
  const lines: string[] = [];
  if (incident && credential) {
    lines.push(
      `*Credential:* ${code(credential.accessKeyId ?? credential.kind)} (${credential.description})` +
        `${credential.userName ? ` of user ${code(credential.userName)}` : ''}${credential.roleName ? ` of role ${code(credential.roleName)}` : ''}` +
        ` in account ${code(incident.accountId)}, ${code(incident.region)}`,
      `*Finding:* ${code(incident.type)} (severity ${incident.severity} ${incident.severityLabel})${incident.sample ? ' SAMPLE' : ''}`,
    );
  }
  const attacker = [
    a.sourceIp && `from ${code(a.sourceIp)}`,
    [a.country, a.city, a.asnOrg ?? a.isp].some(Boolean) && code([a.country, a.city, a.asnOrg ?? a.isp].filter(Boolean).join(', ')),
    a.api && `calling ${code(a.api)}`,
    a.userAgent && `with ${code(a.userAgent)}`,
  ].filter(Boolean);
  if (attacker.length > 0) lines.push(`*Attacker:* ${attacker.join(' ')}`);
  if (document.alertType !== 'activity') {
    lines.push(
      `*Keystop:* ${code(response.outcome)} (${code(response.reason)}${response.policy ? `, policy ${code(response.policy)}` : ''})`,
    );
    for (const x of response.actions) lines.push(`• ${x.status} ${code(x.type)} ${code(x.target)}: ${code(x.reason)}`);
  }
  const after = document.afterResponse;
  // Keystop's sentences, but with names from the event in them: no backtick may open a code span.
  const plain = (items: string[]) => items.join('; ').replace(/`/g, "'");
  if (after && after.stillUsable.length > 0) lines.push(`*Still usable:* ${plain(after.stillUsable)}`);
  if (after && after.impact.length > 0) lines.push(`*Impact:* ${plain(after.impact)}`);
  const activity = document.activity;
  if (activity) {
    if (isSummary(activity)) {
      lines.push(
        `*What the key did:* ${activity.eventCount} events${activity.status === 'partial' ? ' (partial)' : ''}` +
          (activity.calls.length > 0
            ? `: ${activity.calls
                .slice(0, 8)
                .map((c) => `${code(c.name)} ${c.count}`)
                .join(', ')}`
            : ''),
      );
      for (const n of activity.notable.slice(0, 8)) lines.push(`• ${code(n.time)} ${code(n.name)}${n.target ? ` ${code(n.target)}` : ''}`);
    } else {
      lines.push(`*What the key did:* ${code(activity.status)} ${code(activity.reason)}`);
    }
  }
  const links = [
    document.links.principal && `[IAM principal](${document.links.principal})`,
    document.links.finding && `[Finding](${document.links.finding})`,
    document.links.cloudTrail && `[CloudTrail by key](${document.links.cloudTrail})`,
  ].filter(Boolean);
  // Keystop's own links always fit: the event's values give way.
  const linkLine = links.join(' · ');
  return {
    version: '1.0',
    source: 'custom',
    ...(incident ? { id: incident.id.slice(0, 100) } : {}),
    content: {
      textType: 'client-markdown',
      title: clip(document.headline, 250),
      description: [wholeLines(lines, 3500 - linkLine.length - 1), linkLine].filter(Boolean).join('\n'),
      nextSteps: document.nextSteps.map((step) => clip(step, 400)),
      keywords: [response.outcome, incident?.severityLabel, credential?.kind].filter((k) => k !== undefined) as string[],
    },
    metadata: {
      ...(incident ? { threadId: incident.id.slice(0, 100) } : {}),
      summary: document.subject,
      eventType: `keystop-${document.alertType}`,
    },
  };
}

/** A value as an inline code span: no backtick inside can close it early. */
function code(value: string | undefined): string {
  return `\`${(value ?? '').replace(/`/g, "'")}\``;
}

/** As many whole lines as fit: cutting inside a line could leave a code span open. */
function wholeLines(lines: string[], max: number): string {
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    const size = Array.from(line).length + 1;
    if (length + size > max) break;
    kept.push(line);
    length += size;
  }
  return kept.join('\n');
}

function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
