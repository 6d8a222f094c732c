import { accessKeyRecordKey } from '../../domain/identifiers';
import { readPrincipal } from '../../facts/readPrincipal';
import { ORGANISATION } from '../../stores/StateStore';
import type { Deps } from '../Deps';

/** A principal as a breaker counts it: its account, and `user/NAME`, `role/NAME` (or a credential's key). */
interface Counted {
  accountId: string;
  principal: string;
  /** Its access key, when the report is about one (a key the attacker made for a user it did not make). */
  accessKeyId?: string;
}

const MINUTE = 60_000;
/** How far back a chain of keys that made keys is followed (the leaked key, a pivot's key, the runners' creator). */
const MAX_HOPS = 3;

/**
 * Why a principal should take no breaker slot, or undefined: it is counted. The breaker bounds a false-positive storm
 * over the company's established principals; it must not shelter the leaked key behind principals the attacker made
 * and got reported (issue 29, move 4). Asked only when a breaker refuses (the critical path keeps its one round trip),
 * from what the attacker cannot write:
 * - the creation log (noted by the guard from CloudTrail's records of successful calls): the principal, or the key,
 *   was made by a key Keystop is containing or has been asked to contain (`asking`: the credential being admitted now),
 *   or by a key such a key made (up to MAX_HOPS keys back);
 * - IAM's CreateDate: it was created inside the breaker window (`youngPrincipalMs`), so it is not established.
 * A read that fails counts the principal (the breaker's default): it never opens a way around it.
 */
export async function attackerMade(
  counted: Counted,
  /** The credential being admitted (its record key), and its incident: IAM is read in that incident's name. */
  asking: { key: string | undefined; incidentId: string },
  deps: Deps,
): Promise<string | undefined> {
  return (await judged(counted, asking, deps)).why;
}

/**
 * attackerMade's answer, and whether a "counted" is settled for the breaker window: the creation log names no creator
 * and IAM's CreateDate is older than the window (or the age rule is off). Only such an answer cannot change while the
 * window lasts; one with a creator can (that creator may be contained later), and a read that failed is not an answer.
 */
async function judged(
  counted: Counted,
  asking: { key: string | undefined; incidentId: string },
  deps: Deps,
): Promise<{ why?: string; settled: boolean }> {
  const { state } = deps;
  if (state === undefined) return { settled: false };
  let noCreator = false;
  let old = state.youngPrincipalMs <= 0;
  const now = deps.now();
  const byCreator = async () => {
    // A key the attacker made makes more (a pivot user's key creates the runners): its creator is asked in turn.
    let made = [counted.principal, ...(counted.accessKeyId ? [counted.accessKeyId] : [])];
    let what: string | undefined;
    const chain: string[] = [];
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const found = await deps.creationLog?.creatorOf(counted.accountId, made, now);
      if (hop === 0 && found === undefined && deps.creationLog !== undefined) noCreator = true;
      if (found === undefined || chain.includes(found.creatorKeyId)) return undefined;
      what ??= found.made === counted.principal ? counted.principal : `key ${found.made}`;
      chain.push(found.creatorKeyId);
      const creatorKey = accessKeyRecordKey(counted.accountId, found.creatorKeyId);
      const by = `${what} was created by ${chain.join(', made by ')}`;
      if (creatorKey === asking.key) return `${by}, which Keystop is asked to contain now`;
      const { record } = await state.read(creatorKey, now);
      const containing =
        record !== undefined && !record.released && (record.achieved === 'contained' || record.held || record.demand !== undefined);
      if (containing) return `${by}, which Keystop is containing`;
      made = [found.creatorKeyId];
    }
    return undefined;
  };
  const byAge = async () => {
    const [kind, name] = splitRef(counted.principal);
    if (state.youngPrincipalMs <= 0 || kind === undefined || name === undefined) return undefined;
    const { createdAt } = await readPrincipal(deps.clientsFor({ id: asking.incidentId, accountId: counted.accountId }).iam, { kind, name });
    const age = createdAt === undefined ? undefined : now.getTime() - Date.parse(createdAt);
    if (age !== undefined && age >= state.youngPrincipalMs) old = true;
    if (age === undefined || age >= state.youngPrincipalMs) return undefined;
    return `${counted.principal} was created ${Math.max(0, Math.round(age / MINUTE))} minutes ago (${createdAt}), inside the breaker window`;
  };
  const [creator, young] = await Promise.all([byCreator().catch(unread(deps, counted)), byAge().catch(unread(deps, counted))]);
  const why = creator ?? young;
  return why === undefined ? { settled: noCreator && old } : { why, settled: false };
}

const unread = (deps: Deps, counted: Counted) => (error: unknown) => {
  deps.logger.warn('could not tell whether the attacker made a principal; it is counted', { ...counted, error });
  return undefined;
};

function splitRef(principal: string): ['user' | 'role', string] | [undefined, undefined] {
  const match = /^(user|role)\/([\w+=,.@-]{1,64})$/.exec(principal);
  return match ? [match[1] as 'user' | 'role', match[2]!] : [undefined, undefined];
}

/**
 * The members of a refusing breaker the attacker made: the organisation's name theirs `<account>/<principal>`. What
 * is found here goes out of the count (Breaker.evict), as if it had never taken a slot. `settled`: the members found
 * established for the rest of the breaker window (see judged), which the next refusal need not ask about again.
 */
export async function attackerMadeMembers(
  breaker: string,
  members: readonly string[],
  asking: { key: string; incidentId: string },
  deps: Deps,
): Promise<{ made: { member: string; why: string }[]; settled: string[] }> {
  const found = await Promise.all(
    members.map(async (member) => {
      const slash = member.indexOf('/');
      const counted =
        breaker === ORGANISATION
          ? { accountId: member.slice(0, slash), principal: member.slice(slash + 1) }
          : { accountId: breaker, principal: member };
      return { member, ...(await judged(counted, asking, deps)) };
    }),
  );
  return {
    made: found.flatMap(({ member, why }) => (why === undefined ? [] : [{ member, why }])),
    settled: found.filter((f) => f.settled).map((f) => f.member),
  };
}
