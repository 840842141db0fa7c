import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The UI is served by the lab's own API listener in production (`npm start`);
// `npm run dev` proxies /api to a running lab so the UI can hot-reload. The lab answers only
// its own Host and origin, so the dev server presents itself as the lab's page.
const lab = process.env.LAB_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // React and the other libraries in a chunk of their own: they change less often than the lab's code and lessons.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'vendor', test: /node_modules/ }] } } },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': {
        target: lab,
        changeOrigin: true,
        configure: (proxy) => proxy.on('proxyReq', (req) => req.getHeader('origin') !== undefined && req.setHeader('origin', new URL(lab).origin)),
      },
    },
  },
});
