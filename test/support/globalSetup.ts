import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { startLocalAws } from '../../src/local/startLocalAws';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  // Tests run the CLI as users do, from its build: build it from the sources under test.
  const build = promisify(execFile)(process.execPath, ['scripts/buildCli.mjs']);
  const aws = await startLocalAws();
  await build;
  project.provide('awsEndpoint', aws.endpoint);
  return () => aws.stop();
}
