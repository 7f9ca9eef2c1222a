import { initLocale } from './i18n.ts';

/**
 * Entry point: apply the remembered language before the first render, then mount the app.
 * The service worker (vite-plugin-pwa) registers itself from the injected script.
 */
await initLocale();
await import('./components/cl-app.ts');
if (navigator.storage?.persist) void navigator.storage.persist().catch(() => false);
document.body.append(document.createElement('cl-app'));
