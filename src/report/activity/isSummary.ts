import type { ActivityReport, ActivitySummary } from './ActivityReport';

/** A lookup that read CloudTrail (complete or partial), as opposed to one that could not say. */
export const isSummary = (report: ActivityReport): report is ActivitySummary => report.status === 'complete' || report.status === 'partial';
