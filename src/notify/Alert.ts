/** One message for responders, ready for any channel. */
export interface Alert {
  /** One line, at most 100 characters (SNS's limit for email subjects). */
  subject: string;
  /** Plain text a person reads in email at 3 a.m. */
  text: string;
  /** For SNS subscription filter policies. */
  attributes: Record<string, string>;
}

/** Sends alerts. The SNS implementation lives in publishAlert.ts; tests and the CLI may pass their own. */
export interface Notifier {
  /** Where alerts go, as shown in reports (a topic ARN). */
  destination: string;
  publish(alert: Alert): Promise<void>;
}
