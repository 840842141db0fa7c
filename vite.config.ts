import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The UI is served by the lab's own API listener in production (`npm start`);
// `npm run dev` proxies /api to a running lab so the UI can hot-reload.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: process.env.LAB_API ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
