import type { AlertDocument } from '../document/AlertDocument';

/** One message for responders, ready for any channel. */
export interface Alert {
  /** One line of printable ASCII, at most 100 characters (SNS's limit for subjects). */
  subject: string;
  /** Plain text a person reads in email at 3 a.m., rendered from `document`. */
  text: string;
  /** The versioned JSON document (docs/alert-schema.md) for machine subscribers: queues, functions, webhooks. */
  document: AlertDocument;
  /** For SNS subscription filter policies. */
  attributes: Record<string, string>;
}

/** Sends alerts. The SNS implementation lives in snsNotifier.ts; tests and the CLI may pass their own. */
export interface Notifier {
  /** Where alerts go, as shown in reports (a topic ARN). */
  destination: string;
  publish(alert: Alert): Promise<void>;
}
