/**
 * The alert document's schema name and version (docs/alert-schema.md). Apart from the zod schema (AlertDocument.ts)
 * so that the formatters every function bundles do not build the published schema at each cold start.
 */
export const ALERT_SCHEMA = 'keystop.alert';
export const ALERT_SCHEMA_VERSION = '1.1';
