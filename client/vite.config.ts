// Builds the web app from client/ into client/dist, which the Lifeline server serves at /, with its
// service worker (client/sw/sw.ts → dist/sw.js, the built files precached) so the app opens offline.
// For live editing, run the server on port 3100 and `npx vite client`: /api and the socket are proxied to it.
// VITE_TILE_URL (e.g. https://tile.example.org/{z}/{x}/{y}.png) adds a tile layer under the road network.
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      // The page registers the worker itself (src/offline.ts): the CSP allows no inline script.
      injectRegister: false,
      manifest: false,
      injectManifest: { rollupFormat: 'iife', globPatterns: ['**/*.{js,css,html,png,svg,woff2}'] },
    }),
  ],
  server: {
    proxy: {
      '/api': 'http://localhost:3100',
      '/socket.io': { target: 'http://localhost:3100', ws: true },
    },
  },
});
