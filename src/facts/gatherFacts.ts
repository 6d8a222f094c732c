import type { Logger } from '@aws-lambda-powertools/logger';
import { type IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import type { CredentialFacts } from '../decide/nextResponse';
import { type CredentialIncident, iamPrincipalOf } from '../domain/CredentialIncident';
import { readAccessKeyStatus, readKeyOwner } from './readAccessKey';
import { readPrincipal } from './readPrincipal';

/** What is read live before deciding: the key's real owner, the principal's tags, the key's status. */
export interface LiveFacts extends CredentialFacts {
  /** The incident with the key's real owner filled in (or corrected). */
  incident: CredentialIncident;
  /** The principal's tags, when they were read (the exemption tag is decided on them). */
  tags?: Record<string, string>;
  /** The user the report named when IAM says the key belongs to someone else. */
  reportedOwner?: string;
}

interface FactReaders {
  iam: IAMClient;
  logger: Logger;
  /** Whether the principal is read (its tags for the exemption tag, its path for ARN patterns and self-protection). */
  readPrincipal: boolean;
  /**
   * Whether the key's status is read (with a state table: it tells a re-enabled key from a duplicate and an
   * already inactive key from one to write). Without one (`keystop contain`), a named owner is taken as named and
   * IAM's refusal of the write says when it is wrong.
   */
  readStatus: boolean;
}

/**
 * Reads in parallel what decides a response: the tags of the principal (for the exemption tag) and, for a long-term
 * key, its status in the named user's key list. When the named user does not hold the key (or no user was named),
 * IAM says who does (GetAccessKeyLastUsed) and the facts are read again from the real owner: the key's owner
 * decides, never the name in the report. A failed read never holds containment back; the log says so.
 */
export async function gatherFacts(reported: CredentialIncident, readers: FactReaders): Promise<LiveFacts> {
  const { iam, logger } = readers;
  const unavailable = (what: string) => (error: unknown) => {
    logger.warn(`could not read ${what}; going on without it`, { incidentId: reported.id, error });
    return undefined;
  };
  /** The principal's tags, and the incident with the principal's IAM path when it was read. */
  const principalOf = async (incident: CredentialIncident) => {
    const principal = iamPrincipalOf(incident.credential);
    if (!readers.readPrincipal || principal === undefined) return { incident };
    const facts = await readPrincipal(iam, principal).catch(unavailable('the principal (exemption tag, path)'));
    if (facts === undefined) return { incident };
    return { incident: facts.path === undefined ? incident : { ...incident, principalPath: facts.path }, tags: facts.tags };
  };
  const { credential } = reported;
  if (credential.kind !== 'long-term-key') return principalOf(reported);

  const statusIn = (userName: string) =>
    readAccessKeyStatus(iam, credential.accessKeyId, userName).then(
      (status) => (status === 'Active' || status === 'Inactive' ? status : ('absent' as const)),
      (error: unknown) => (error instanceof NoSuchEntityException ? ('absent' as const) : unavailable('the key status')(error)),
    );
  const named = credential.userName;
  if (named !== undefined && !readers.readStatus) return principalOf(reported);
  if (named !== undefined) {
    const [principal, status] = await Promise.all([principalOf(reported), statusIn(named)]);
    if (status === 'Active' || status === 'Inactive') return { ...principal, keyStatus: status };
    // The read failed: decide on the report as it is, as before any read.
    if (status === undefined) return principal;
  }
  // No owner named, or the named user does not hold this key: ask IAM whose it is.
  let owner: string | undefined;
  try {
    owner = await readKeyOwner(iam, credential.accessKeyId);
  } catch (error) {
    if (!(error instanceof NoSuchEntityException)) {
      unavailable('the owner of the key')(error);
      return { incident: reported };
    }
  }
  if (owner === undefined) return { incident: reported, gone: `IAM does not know access key ${credential.accessKeyId} (deleted)` };
  const owned: CredentialIncident = { ...reported, credential: { ...credential, userName: owner } };
  const [principal, status] = await Promise.all([principalOf(owned), statusIn(owner)]);
  return {
    ...principal,
    ...(status === 'Active' || status === 'Inactive' ? { keyStatus: status } : {}),
    ...(status === 'absent' ? { gone: `access key ${credential.accessKeyId} is not among the keys of its owner ${owner}` } : {}),
    ...(named !== undefined && named !== owner ? { reportedOwner: named } : {}),
  };
}
