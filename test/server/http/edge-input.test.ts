import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';

describe.each(databaseKinds)('input the schemas cannot see, at the edge, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());
  afterEach(() => vi.restoreAllMocks());

  it('answers a malformed percent-encoding in a path with 400, signed in or not, and logs no stack', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    for (const [path, token] of [
      ['/api/track/%E0%A4%A', undefined],
      ['/api/warehouses/%E0%A4%A', t.tokens.coordinator],
      ['/api/zones/%ZZ', t.tokens.coordinator],
    ] as const) {
      const req = t.api.get(path);
      const res = await (token ? req.set(bearer(token)) : req);
      expect(res.status, path).toBe(400);
      expect(res.type).toBe('application/problem+json');
      expect(res.body.errors).toEqual([{ field: 'path', reason: 'malformed percent-encoding' }]);
    }
    expect(logged).not.toHaveBeenCalled();
  });
});
