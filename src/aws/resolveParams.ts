/** A param's value as serverless.yml or `--param` gives it (YAML may make it a number or a boolean). */
export type ParamValue = string | number | boolean;

/**
 * Pure: the params a stage deploys with, resolved the way osls resolves `${param:…}`: `--param key=value` first, then
 * `params.<stage>`, then `params.default`; null entries do not count. `keystop config check` and the package-time
 * check both use it, so they judge exactly what `osls package` would deploy.
 */
export function resolveParams(
  configParams: Record<string, Record<string, unknown> | null | undefined> | undefined,
  stage: string,
  cliParams: readonly string[] = [],
): Record<string, ParamValue> {
  const resolved: Record<string, ParamValue> = {};
  for (const item of cliParams) {
    const match = /^(?<key>[^=]+)=(?<value>.+)$/s.exec(item);
    if (!match?.groups) throw new Error(`--param ${JSON.stringify(item)} is not key=value`);
    resolved[match.groups.key!] ??= match.groups.value!.trimEnd();
  }
  for (const scope of [configParams?.[stage], configParams?.default]) {
    for (const [name, value] of Object.entries(scope ?? {})) {
      if (value === null || value === undefined || name in resolved) continue;
      resolved[name] = value as ParamValue;
    }
  }
  return resolved;
}
