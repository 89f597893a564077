import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Cheap password hashing keeps the many test sign-ins quick; production uses cost 10.
    env: { BCRYPT_COST: '4' },
  },
});
