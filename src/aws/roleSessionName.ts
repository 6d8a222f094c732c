/** The most STS accepts in RoleSessionName. */
const MAX_LENGTH = 64;

/**
 * The incident id as an STS role session name, so every call Keystop makes in a member account shows in that
 * account's CloudTrail as `assumed-role/<member role>/<incident>`. STS allows 2–64 of the characters [\w+=,.@-]:
 * others become `-`; a longer id keeps its head (source and account) and its tail (the finding's own id).
 */
export function roleSessionName(incidentId: string): string {
  const name = incidentId.replace(/[^\w+=,.@-]/g, '-').padEnd(2, '-');
  if (name.length <= MAX_LENGTH) return name;
  const head = name.slice(0, 23);
  return `${head}.${name.slice(-(MAX_LENGTH - head.length - 1))}`;
}
