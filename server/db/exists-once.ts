// Existence checks that a grouped batch's requests share (db/grouped.ts): each id is looked up once per batch.
// A burst's request naming a missing record is then refused in its own turn, and the batch's others stay together
// (a refusal at the batch's end would have the whole batch written again, each request alone).
import { readOncePerBatch, type Queryable } from './database.ts';
import { NotFoundError } from '../http/errors.ts';

/** A check that refuses (404, naming `field`) an id `find` does not find. */
export function existsOncePerBatch(noun: string, find: (db: Queryable, id: number) => Promise<unknown>) {
  const found = readOncePerBatch<boolean>();
  return async (db: Queryable, id: number, field: string): Promise<void> => {
    if (!(await found(db, String(id), async (on) => (await find(on, id)) !== undefined))) throw new NotFoundError(noun, id, field);
  };
}
