import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The credential chain of the Lambda bundles (serverless.yml aliases @aws-sdk/credential-provider-node to this file):
 * Lambda gives every function its role's credentials in the environment, which is the first link of the SDK's
 * default chain anyway. The rest of that chain (profiles, SSO, login, process, web identity, container and instance
 * metadata, and the STS/SSO clients they load) is never reached in Lambda and was a sixth of each bundle. The CLI
 * and tests run from the sources and keep the full chain.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}): ReturnType<typeof fromEnv> => fromEnv(init);
