// Builds the web app from client/ into client/dist, which the Lifeline server serves at /.
// For live editing, run the server on port 3100 and `npx vite client`: /api and the socket are proxied to it.
// VITE_TILE_URL (e.g. https://tile.example.org/{z}/{x}/{y}.png) adds a tile layer under the road network.
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/api': 'http://localhost:3100',
      '/socket.io': { target: 'http://localhost:3100', ws: true },
    },
  },
});
