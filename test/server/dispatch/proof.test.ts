import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { post } from '../../support/records.ts';
import { dispatched, fontvieillePlan, twoWarehouses, type RouteBody, type TwoWarehouses } from '../../support/warehouses.ts';
import { cleanImage, imageType } from '../../../server/dispatch/proof-image.ts';

const segment = (marker: number, payload: string) => {
  const body = Buffer.from(payload, 'latin1');
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
};
/** A JPEG's structure with a camera's EXIF (GPS), an XMP block and a comment before its scan. */
const jpegWithMetadata = Buffer.concat([
  Buffer.from([0xff, 0xd8]),
  segment(0xe0, 'JFIF\0\x01\x01\0\0\x01\0\x01\0\0'),
  segment(0xe1, 'Exif\0\0GPS 43.7298N 7.4165E Pixel 8'),
  segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>secret</x:xmpmeta>'),
  segment(0xfe, 'taken at the Bianchi door'),
  segment(0xdb, '\0' + 'A'.repeat(64)),
  segment(0xda, '\x01\x01\0\0?\0'),
  Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9]),
]);

const chunk = (type: string, data: string) => {
  const body = Buffer.from(data, 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
};
const pngWith = (...chunks: Buffer[]) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', 'x'.repeat(13)), ...chunks, chunk('IDAT', 'pixels'), chunk('IEND', '')]);
const signature = pngWith(chunk('tEXt', 'Author\0Zhang Wei'), chunk('eXIf', 'MM\0*gps'));

const b64 = (bytes: Buffer) => bytes.toString('base64');

describe('proof images', () => {
  it('are known by their bytes and lose their metadata', () => {
    const { bytes, type } = cleanImage(`data:image/jpeg;base64,${b64(jpegWithMetadata)}`, 'photo', 10_000);
    expect(type).toBe('image/jpeg');
    const text = bytes.toString('latin1');
    for (const gone of ['Exif', 'GPS', 'xmpmeta', 'Bianchi']) expect(text).not.toContain(gone);
    expect(text).toContain('JFIF');
    expect(bytes.subarray(-5)).toEqual(Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9]));
    const png = cleanImage(b64(signature), 'signature', 10_000).bytes.toString('latin1');
    expect(png).not.toContain('Zhang');
    expect(png).not.toContain('eXIf');
    expect(png).toContain('IDAT');
    const webp = Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBP', 'latin1'), Buffer.from('VP8X\x0a\0\0\0\x0c\0\0\0\0\0\0\0\0\0', 'latin1'), Buffer.from('EXIF\x04\0\0\0GPS!', 'latin1'), Buffer.from('VP8L\x02\0\0\0ok', 'latin1')]);
    const cleanWebp = cleanImage(b64(webp), 'photo', 10_000).bytes;
    expect(imageType(cleanWebp)).toBe('image/webp');
    expect(cleanWebp.toString('latin1')).not.toContain('GPS');
    expect(cleanWebp[20]! & 0x0c).toBe(0);
    expect(cleanWebp.readUInt32LE(4)).toBe(cleanWebp.length - 8);
  });
});

describe.each(databaseKinds)('proof of delivery on %s', (kind) => {
  let t: TestApp;
  let s: TwoWarehouses;
  let route: RouteBody;
  let stopId: number;
  let householdId: number;
  const driver = () => bearer(s.drivers.fontvieille.token);
  const deliver = (proof: Record<string, unknown>, key?: string) => {
    const req = t.api.post(`/api/stops/${stopId}/status`).set(driver());
    return (key ? req.set('Idempotency-Key', key) : req).send({ status: 'delivered', proof });
  };
  /** Recorded on the phone two hours before it could sync, in a basement with no signal. */
  const deviceTime = new Date(Date.now() - 2 * 3600_000).toISOString();
  const proof = { receiverName: 'Zhang Wei', handedTo: 'neighbour', photo: b64(jpegWithMetadata), signature: b64(signature), deviceTime, position: { lat: 43.7298, lon: 7.4165 } };

  beforeAll(async () => {
    t = await startTestApp(kind);
    s = await twoWarehouses(t);
    [route] = await dispatched(t, (await fontvieillePlan(t, s)).id);
    stopId = route!.stops[0]!.id;
    householdId = (await t.api.get(`/api/needs/${s.needs.riceFontvieille}`).set(bearer(t.tokens.coordinator))).body.householdId;
    await t.api.post(`/api/routes/${route!.id}/pickup`).set(driver()).expect(200);
  }, 120_000);
  afterAll(() => t.close());

  it('refuses a photo of the wrong type or too large, and a signature that is not a PNG, writing nothing', async () => {
    const gif = await deliver({ ...proof, photo: b64(Buffer.from('GIF89a\x01\0\x01\0', 'latin1')) }).expect(400);
    expect(gif.body.errors).toEqual([{ field: 'body.proof.photo', reason: expect.stringMatching(/JPEG, PNG, WEBP/) }]);
    const labelled = await deliver({ ...proof, photo: `data:image/jpeg;base64,${b64(Buffer.from('<svg onload=alert(1)>'))}` }).expect(400);
    expect(labelled.body.errors[0].field).toBe('body.proof.photo');
    const huge = Buffer.concat([jpegWithMetadata.subarray(0, 2), Buffer.alloc(1_000_000)]);
    const large = await deliver({ ...proof, photo: b64(huge) }).expect(400);
    expect(large.body.errors[0]).toEqual({ field: 'body.proof.photo', reason: expect.stringMatching(/at most 1000000 bytes/) });
    await deliver({ ...proof, signature: b64(jpegWithMetadata) }).expect(400);
    await deliver({ ...proof, deviceTime: 'yesterday' }).expect(400);
    await t.api.post(`/api/stops/${stopId}/status`).set(driver()).send({ status: 'failed', reason: 'nobody_home', proof }).expect(400);
    const stop = (await t.api.get(`/api/routes/${route.id}`).set(driver())).body.stops[0];
    expect(stop.status).toBe('pending');
  });

  it('keeps who took it and the phone’s time and place apart from when the server heard, also when a sync repeats it', async () => {
    const synced = await deliver(proof, 'offline-1').expect(200);
    const stop = synced.body;
    expect(stop.id).toBe(stopId);
    expect(stop.proof).toEqual({ handedTo: 'neighbour', receiverName: 'Zhang Wei', deviceTime, position: { lat: 43.7298, lon: 7.4165 }, receivedAt: expect.any(String), hasPhoto: true, hasSignature: true });
    expect(Date.parse(stop.proof.receivedAt) - Date.parse(deviceTime)).toBeGreaterThan(3600_000);
    // The queue sends it again (its answer was lost), and another phone syncs a later copy: the first stays.
    await deliver(proof, 'offline-1').expect(200);
    await deliver({ ...proof, deviceTime: new Date().toISOString(), receiverName: 'Someone else' }, 'offline-2').expect(409);
    const again = (await t.api.get(`/api/routes/${route.id}`).set(bearer(t.tokens.coordinator))).body.stops.find((x: { id: number }) => x.id === stopId);
    expect(again.proof).toEqual(stop.proof);
  });

  it('shows the photo, stripped of its metadata, to coordinators and admins only', async () => {
    const photo = await t.api.get(`/api/stops/${stopId}/proof/photo`).set(bearer(t.tokens.coordinator)).buffer(true).expect(200);
    expect(photo.type).toBe('image/jpeg');
    expect(photo.get('Cache-Control')).toBe('private, no-store');
    expect(Buffer.from(photo.body).toString('latin1')).not.toContain('GPS');
    await t.api.get(`/api/stops/${stopId}/proof/signature`).set(bearer(t.tokens.admin)).expect(200).expect('Content-Type', 'image/png');
    await t.api.get(`/api/stops/${stopId}/proof/photo`).set(driver()).expect(403);
    await t.api.get(`/api/stops/${stopId}/proof/photo`).set(bearer(t.tokens.community)).expect(403);
    await t.api.get(`/api/stops/${stopId}/proof/photo`).set(bearer(s.coordinators.monteCarlo.token)).expect(404);
    const audit = (await t.api.get('/api/audit').set(bearer(t.tokens.admin)).query({ record: `stop_proofs:${stopId}` }).expect(200)).body.items;
    expect(audit[0].after).toMatchObject({ photo: '[secret]', signature: '[secret]', receiverName: 'Zhang Wei' });
  });

  it('shows in the household’s history, and tells the household when and to whom, in en and zh', async () => {
    const history = (await t.api.get(`/api/households/${householdId}/deliveries`).set(bearer(t.tokens.community)).expect(200)).body;
    expect(history).toEqual([
      expect.objectContaining({ id: stopId, status: 'delivered', items: [expect.objectContaining({ needId: s.needs.riceFontvieille, quantity: 5 })], proof: expect.objectContaining({ receiverName: 'Zhang Wei', deviceTime }) }),
    ]);
    await t.api.get(`/api/households/${householdId}/deliveries`).set(driver()).expect(403);
    const { code } = await post(t, `/api/households/${householdId}/access`, {}, 'community');
    const en = (await t.api.get(`/api/resident/${code}`).query({ lang: 'en' }).expect(200)).body.requests[0];
    expect(en.statusText).toMatch(/^Delivered at .+ to your neighbour Zhang Wei\.$/);
    const zh = (await t.api.get(`/api/resident/${code}`).query({ lang: 'zh' }).expect(200)).body.requests[0];
    expect(zh.statusText).toMatch(/^已于 .+ 送达，签收人：邻居 Zhang Wei。$/);
  });

  it('takes "volunteer did not show" as a reason for a failed stop', async () => {
    const res = await t.api.post(`/api/stops/${stopId}/status`).set(driver()).send({ status: 'failed', reason: 'volunteer_no_show' });
    expect(res.status).toBe(409); // a reason the schema takes; this stop was delivered already
    await t.api.post(`/api/stops/${stopId}/status`).set(driver()).send({ status: 'failed', reason: 'recalled' }).expect(400);
  });
});
