/**
 * The IAM permissions of the live reads (this folder), kept free of the SDK so that the permission check of
 * serverless.yml (src/decide/requiredPermissions.ts) can import them.
 */
/** One read gives both the tags (the exemption tag) and the IAM path (exemption ARN patterns, self-protection). */
export const READ_PRINCIPAL_PERMISSIONS = ['iam:GetUser', 'iam:GetRole'] as const;
/** The key's status, from its owner's key list only. */
export const READ_KEY_STATUS_PERMISSIONS = ['iam:ListAccessKeys'] as const;
