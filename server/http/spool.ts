// Request bodies too large to hold in memory (a district's CSV import) are streamed to a temporary file as
// they arrive, with their SHA-256 taken on the way: the handler reads the file as often as it needs, and an
// idempotent retry is recognised by the digest (JSON.stringify of the spooled body gives only that).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestHandler } from 'express';
import { invalidField } from './errors.ts';

/** Guards the disk, not the memory: ten times a 200,000-household file. */
const MAX_BYTES = 2 ** 30;

export class SpooledBody {
  constructor(
    private readonly path: string,
    readonly sha256: string,
    readonly bytes: number,
  ) {}

  /** The body from its first byte. */
  read(): Readable {
    return createReadStream(this.path);
  }

  toJSON(): { sha256: string; bytes: number } {
    return { sha256: this.sha256, bytes: this.bytes };
  }
}

/**
 * Spools bodies of these content types, for signed-in callers only (others are refused by the endpoint
 * before anything is read); the file is removed once the answer has been sent.
 */
export function spoolBody(types: string[]): RequestHandler {
  return async (req, res, next) => {
    if (!req.user || !types.some((type) => req.is(type))) return next();
    const dir = await mkdtemp(join(tmpdir(), 'lifeline-upload-'));
    res.on('close', () => void rm(dir, { recursive: true, force: true }));
    const hash = createHash('sha256');
    let bytes = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > MAX_BYTES) return done(invalidField('body', `larger than ${MAX_BYTES / 2 ** 30} GiB`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(req, measure, createWriteStream(join(dir, 'body')));
    } catch (error) {
      return next(error);
    }
    req.body = new SpooledBody(join(dir, 'body'), hash.digest('hex'), bytes);
    next();
  };
}
