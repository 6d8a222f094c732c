import policies from './policies.json';
import { ResponsePolicySet, type ResponsePolicy } from './ResponsePolicy';

/**
 * The response policies a deployment runs with: src/policies/policies.json, reviewed like code. Order matters: the
 * first policy that matches decides. Parsed when the module loads — at cold start in Lambda — so a set that does not
 * validate stops the function before it can act wrongly; `keystop policies validate` gives the same verdict before
 * deploying. The README explains each choice.
 */
export const defaultPolicies: readonly ResponsePolicy[] = ResponsePolicySet.parse(policies);
