import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  root: 'client',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
  },
  plugins: [
    // generateSW: precache the app shell, and answer every navigation (/, /plan/<id>,
    // /plan/<id>/print) with index.html, so the app opens with no network at all.
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: 'script',
      manifest: {
        name: '清单 qingdan',
        short_name: '清单',
        lang: 'zh-CN',
        start_url: '/',
        display: 'standalone',
        theme_color: '#a61b1b',
        background_color: '#fbfbfc',
        icons: [],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/health/, /^\/metrics/],
        clientsClaim: true,
        skipWaiting: true,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
});
