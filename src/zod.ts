import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod's mini API, which every schema in src/ is written with: its schemas carry no methods of their own (checks are
 * composed: `z.optional(z.string().check(z.minLength(1)))`), so building them at a cold start is cheap, and the bundles
 * leave out the classic API. Unlike the classic API, the mini API sets no language for its messages ("Invalid input"):
 * this module sets English, as the classic API does, so the reasons in errors and alerts read the same. Every schema
 * module imports zod from here, so the language is set before any parse.
 */
z.config(en());

export * from 'zod/mini';
