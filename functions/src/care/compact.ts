/**
 * Drops undefined fields (deeply). Idempotent replies are stored by Powertools, whose marshaller
 * refuses `undefined`; views built with optional fields go through this first.
 */
export const compact = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
