import type { TestProject } from 'vitest/node';
import { startLocalAws } from '../../src/local/startLocalAws';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const aws = await startLocalAws();
  project.provide('awsEndpoint', aws.endpoint);
  return () => aws.stop();
}
