import { TagRoleCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { iamPrincipalOf } from '../domain/CredentialIncident';
import { principalRef } from '../domain/identifiers';
import { actionCatalog } from './actionCatalog';
import type { ContainmentAction } from './ContainmentAction';

/** IAM tag values allow letters, digits, spaces and _.:/=+-@ only, up to 256 characters. */
const tagValue = (text: string) => text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256);

/** The tags Keystop puts on a contained principal (and a release removes). */
export const INCIDENT_TAG = 'keystop:incident';
export const CONTAINED_AT_TAG = 'keystop:contained-at';

/** Marks the principal with the incident, so whoever looks at it in the console sees why its key stopped working. */
export const tagPrincipal: ContainmentAction<'tag-principal'> = {
  ...actionCatalog['tag-principal'],
  async run({ incident, now }, { iam }) {
    const principal = iamPrincipalOf(incident.credential);
    if (principal === undefined) {
      return { status: 'skipped', target: 'none', reason: 'the owner of the key is not known, so there is nothing to tag' };
    }
    const Tags = [
      { Key: INCIDENT_TAG, Value: tagValue(incident.id) },
      { Key: CONTAINED_AT_TAG, Value: now.toISOString() },
    ];
    if (principal.kind === 'role') await iam.send(new TagRoleCommand({ RoleName: principal.name, Tags }));
    else await iam.send(new TagUserCommand({ UserName: principal.name, Tags }));
    return { status: 'done', target: principalRef(principal), reason: `tagged ${INCIDENT_TAG}=${tagValue(incident.id)}` };
  },
};
