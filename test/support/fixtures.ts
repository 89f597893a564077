// Files the tests read live under test/fixtures/, named after the format or feature they exercise,
// so a clone needs nothing beside the repository.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** The absolute path of a fixture, given its path under test/fixtures/. */
export const fixturePath = (path: string): string => join(FIXTURES, path);

/** A fixture's text. */
export const readFixture = (path: string): string => readFileSync(fixturePath(path), 'utf8');
