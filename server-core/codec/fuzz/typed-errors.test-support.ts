import { expect } from 'vitest';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Runs `f`; returns its result, or undefined when it threw one of the allowed (typed) errors. Anything else fails
 * the test with what the input was, so a property test names the mutant that crashed.
 */
export function onlyTyped<T>(allowed: ErrorClass | readonly ErrorClass[], what: string, f: () => T): T | undefined {
  const classes = Array.isArray(allowed) ? allowed : [allowed as ErrorClass];
  try {
    return f();
  } catch (err) {
    if (classes.some((c) => err instanceof c)) return undefined;
    expect.fail(`${what}: threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
}
