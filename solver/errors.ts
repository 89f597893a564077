// Typed errors shared by every solver: the server maps them to HTTP in one place
// (InvalidProblemError → 400, UnsolvableError → 422); the CLI prints them.

/** The input is malformed; `field` names the offending part as a dotted path (e.g. `needs[3].quantity`). */
export class InvalidProblemError extends Error {
  override readonly name = 'InvalidProblemError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** The input is well-formed but no answer exists (e.g. a point too far from any road). */
export class UnsolvableError extends Error {
  override readonly name = 'UnsolvableError';
  constructor(
    readonly reason: string,
    readonly field?: string,
  ) {
    super(field ? `${field}: ${reason}` : reason);
  }
}
