/**
 * Times in answers: ISO 8601 in UTC, and their schema for the document. Apart from
 * `fields.ts` because the session check, built before the first answer, writes times
 * without loading zod (`route_docs.ts`).
 */
import type { Zod } from "./route_docs.ts";

/** The schema of a time in a response, built with zod when the document is. */
export const isoTimeOf = (zod: Zod) =>
  zod.string().meta({ format: "date-time" });

/** A time in milliseconds as {@link isoTimeOf} describes it. */
export const isoText = (ms: number): string => new Date(ms).toISOString();
