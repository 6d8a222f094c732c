import type { Credential } from '../domain/CredentialIncident';

/**
 * A credential a compromise report names in a way Keystop cannot identify (a placeholder, a redacted key, a session
 * key without its owner): the report's own values, distinct and non-empty, quoted to the responder who must find it.
 */
export function unmappedCredential(values: readonly (string | undefined)[]): Credential {
  return { kind: 'unmapped', entities: [...new Set(values.filter((v): v is string => v !== undefined && v.trim() !== ''))] };
}
