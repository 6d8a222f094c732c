import type { SourceSettings } from '../events/eventSources';

/** The CLI judges events with the deployment's settings, taken from the same environment variables Lambda gets. */
export function sourceSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SourceSettings {
  return {
    honeyKeys: (env.KEYSTOP_HONEY_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean),
  };
}
