/**
 * Assertions for the tests. Deno's `node:assert/strict` maps `deepEqual` to the loose
 * comparison (1 equals "1"), so the strict functions are named explicitly here.
 */
import { deepStrictEqual, ok, rejects, throws } from "node:assert";

/** Deep, strict equality. */
export const assertEquals: <T>(
  actual: unknown,
  expected: T,
  message?: string,
) => asserts actual is T = deepStrictEqual;
/** Truthiness. */
export const assert: (value: unknown, message?: string) => asserts value = ok;
/** The promise rejects. */
export const assertRejects = rejects;
/** The function throws. */
export const assertThrows: (fn: () => unknown) => void = throws;
