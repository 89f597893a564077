// The JS form of the Postgres types whose default one is awkward, the same on both back-ends: bigint and
// numeric as numbers (our counts and quantities stay far below 2^53), dates as 'YYYY-MM-DD' strings so no
// time zone shifts them.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const toNumber = (value: string) => Number(value);
const asText = (value: string) => value;

/** Parsers by type OID (PGlite's `parsers` option; node-postgres falls back to its own for the rest). */
export const typeParsers: Record<number, (value: string) => unknown> = { [INT8]: toNumber, [NUMERIC]: toNumber, [DATE]: asText };
