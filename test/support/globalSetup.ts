import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalAws } from '../../src/local/startLocalAws';
import buildCli from './buildCli';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoint: string;
    /** Where packaged templates are kept for this run, one folder per configuration (test/support/packageTemplate.ts). */
    packageCache: string;
  }
}

/** One local AWS emulator (moto server) for the project's whole run, and the CLI built from the sources under test. */
export default async function setup(project: TestProject) {
  const [aws] = await Promise.all([startLocalAws(), buildCli()]);
  const packageCache = await mkdtemp(join(tmpdir(), 'keystop-packages-'));
  project.provide('awsEndpoint', aws.endpoint);
  project.provide('packageCache', packageCache);
  return async () => {
    await aws.stop();
    await rm(packageCache, { recursive: true, force: true });
  };
}
