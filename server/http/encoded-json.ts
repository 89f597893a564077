// A large JSON answer that many clients ask for unchanged (the map's road layer: 11.6 MB at district scale),
// encoded once: its text, its gzip and its ETag. Each request then costs a write, not a stringify and a hash
// of megabytes on the main thread; a client that has it gets 304, and a phone downloads the gzip.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response } from 'express';

const gzipped = promisify(gzip);

export class EncodedJson {
  private constructor(
    private readonly text: Buffer,
    private readonly zipped: Buffer,
    private readonly etag: string,
  ) {}

  /** Encodes `value` (gzip on libuv's thread pool, off the main thread). */
  static async of(value: unknown): Promise<EncodedJson> {
    const text = Buffer.from(JSON.stringify(value));
    return new EncodedJson(text, await gzipped(text), `W/"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`);
  }

  /** Answers with it: 304 when the client's copy is this one, gzipped when the client takes gzip. */
  send(req: Request, res: Response): void {
    res.setHeader('ETag', this.etag);
    res.vary('Accept-Encoding');
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    const zip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    res.status(200).type('application/json');
    if (zip) res.setHeader('Content-Encoding', 'gzip');
    res.end(zip ? this.zipped : this.text);
  }
}
