import shipped from './policies.json';
import { type ResponsePolicy, ResponsePolicySet } from './ResponsePolicy';

/**
 * The operator's policy file (param policiesFile) as JSON text, put in the bundle at package time by
 * deploy/keystopSettings.mjs. A string constant, so that esbuild drops the shipped set from the bundle.
 */
declare const KEYSTOP_BUNDLED_POLICIES: string;
const policies: unknown = typeof KEYSTOP_BUNDLED_POLICIES === 'undefined' ? shipped : JSON.parse(KEYSTOP_BUNDLED_POLICIES);

/**
 * The response policies a deployment runs with: src/decide/policies.json, reviewed like code. Order matters: the
 * first policy that matches decides. Parsed when the module loads — at cold start in Lambda — so a set that does not
 * validate stops the function before it can act wrongly; `keystop policies validate` gives the same verdict before
 * deploying. The README explains each choice.
 */
export const defaultPolicies: readonly ResponsePolicy[] = ResponsePolicySet.parse(policies);
