// A proof-of-delivery photo or signature as the server keeps it: checked to be a JPEG, PNG or WebP by its
// own bytes (not by what the phone claims), within a size cap, and stripped of metadata — EXIF (camera,
// time, GPS), XMP, IPTC, comments and text chunks — so a photo of a doorway does not carry more than it shows.
import { invalidField } from '../http/errors.ts';

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/** The largest photo kept, decoded: a phone photo scaled for proof, not a full-resolution original. */
export const MAX_PHOTO_BYTES = 1_000_000;
/** The largest signature kept: a small drawing. */
export const MAX_SIGNATURE_BYTES = 200_000;

/** The image's type from its first bytes, if it is one we keep. */
export function imageType(bytes: Buffer): ImageType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/**
 * Decodes a base64 image (a data: URL or bare base64), refuses (400, naming the field) one that is not a
 * JPEG, PNG or WebP, too large or malformed, and returns it without metadata.
 */
export function cleanImage(base64: string, field: string, maxBytes: number, allowed: readonly ImageType[] = ['image/jpeg', 'image/png', 'image/webp']): { bytes: Buffer; type: ImageType } {
  const bytes = Buffer.from(base64.replace(/^data:[^,]*,/, ''), 'base64');
  if (bytes.length > maxBytes) throw invalidField(field, `at most ${maxBytes} bytes (this is ${bytes.length})`);
  const type = imageType(bytes);
  if (!type || !allowed.includes(type)) throw invalidField(field, `must be ${allowed.map((t) => t.replace('image/', '').toUpperCase()).join(', ')} (by its content)`);
  try {
    return { bytes: strip[type](bytes), type };
  } catch {
    throw invalidField(field, `is not a readable ${type.replace('image/', '').toUpperCase()} image`);
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const strip: Record<ImageType, (bytes: Buffer) => Buffer> = {
  'image/jpeg': stripJpeg,
  'image/png': stripPng,
  'image/webp': stripWebp,
};

/**
 * Drops APP1–APP13 and APP15 (EXIF, XMP, ICC, IPTC and vendors' blocks) and comments; keeps APP0 (JFIF) and
 * APP14 (Adobe, which says how to read the colours), the tables, and everything from the scan on.
 */
function stripJpeg(bytes: Buffer): Buffer {
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let at = 2;
  for (;;) {
    if (bytes[at] !== 0xff) throw new Error('not a marker');
    const marker = bytes[at + 1]!;
    if (marker === 0xd9) return Buffer.concat([...kept, bytes.subarray(at)]);
    const length = bytes.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) throw new Error('segment runs past the end');
    // Start of scan: the compressed image follows; nothing after it is metadata we strip.
    if (marker === 0xda) return Buffer.concat([...kept, bytes.subarray(at)]);
    const metadata = (marker >= 0xe1 && marker <= 0xed) || marker === 0xef || marker === 0xfe;
    if (!metadata) kept.push(bytes.subarray(at, end));
    at = end;
  }
}

/** Chunks of text, EXIF and the time of last change: what a PNG says beside its pixels. */
const PNG_METADATA = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

function stripPng(bytes: Buffer): Buffer {
  const kept: Buffer[] = [PNG_SIGNATURE];
  let at = 8;
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (end > bytes.length) throw new Error('chunk runs past the end');
    if (!PNG_METADATA.has(type)) kept.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(kept);
}

/** WebP's EXIF and XMP chunks go, and the extended header's flags for them are cleared. */
function stripWebp(bytes: Buffer): Buffer {
  const kept: Buffer[] = [];
  let at = 12;
  while (at < bytes.length) {
    const type = bytes.toString('latin1', at, at + 4);
    const length = bytes.readUInt32LE(at + 4);
    const end = at + 8 + length + (length % 2);
    if (at + 8 + length > bytes.length) throw new Error('chunk runs past the end');
    if (type === 'VP8X') {
      const chunk = Buffer.from(bytes.subarray(at, end));
      chunk[8] = chunk[8]! & ~(0x08 | 0x04);
      kept.push(chunk);
    } else if (type !== 'EXIF' && type !== 'XMP ') {
      kept.push(bytes.subarray(at, Math.min(end, bytes.length)));
    }
    at = end;
  }
  const body = Buffer.concat(kept);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}
