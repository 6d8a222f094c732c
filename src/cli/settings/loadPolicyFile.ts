import { readFile } from 'node:fs/promises';
import { parsePolicySet } from '../../decide/parsePolicySet';
import type { ResponsePolicy } from '../../decide/ResponsePolicy';
import { UsageError } from '../UsageError';

/** Reads and validates a policy file; an unreadable or invalid file is the user's input error (exit 2). */
export async function loadPolicyFile(file: string): Promise<ResponsePolicy[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read policy file ${file}: ${(error as Error).message}`);
  }
  try {
    return parsePolicySet(data, file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
