import { defineConfig } from 'vite';

// Served by the web host at /kiosk (KioskPage.cs); Direct Line is on the same origin.
export default defineConfig({
  base: '/kiosk/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Web Chat's prebuilt bundle is large; it is loaded as its own file, not inlined.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 4096,
  },
});
