import react from '@vitejs/plugin-react';
import { loadEnv } from 'vite';
import { defineConfig } from 'vitest/config';
import { precompress } from './vite-plugins/precompress.ts';
import { RUNTIME_CONFIG_ENV_PREFIXES, runtimeConfig } from './vite-plugins/runtimeConfig.ts';

/** Where `npm run dev` sends /api requests: the backend, ${{ values.backendName }}, run locally. */
const DEFAULT_BACKEND_URL = 'http://localhost:8080';

export default defineConfig(({ mode }) => {
  // .env, .env.local and the process environment; only the variables named here.
  const env = loadEnv(mode, process.cwd(), ['BACKEND_URL', ...RUNTIME_CONFIG_ENV_PREFIXES]);
  return {
    plugins: [react(), runtimeConfig(env), precompress()],
    build: {
      // The server is compiled to dist/server.js and serves dist/public.
      outDir: 'dist/public',
      emptyOutDir: true,
    },
    server: {
      proxy: {
        '/api': {
          target: env.BACKEND_URL ?? DEFAULT_BACKEND_URL,
          changeOrigin: true,
        },
      },
    },
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'app',
            environment: 'jsdom',
            include: ['src/**/*.test.{ts,tsx}'],
            setupFiles: ['src/test/setup.ts'],
          },
        },
        {
          test: {
            name: 'server',
            environment: 'node',
            include: ['server/**/*.test.ts', 'vite-plugins/**/*.test.ts'],
          },
        },
      ],
      coverage: {
        provider: 'v8',
        reporter: ['text-summary', 'lcov'],
        include: ['src/**/*.{ts,tsx}', 'server/**/*.ts', 'vite-plugins/**/*.ts'],
        // Test helpers, and entry points that only wire the process to the tested code.
        exclude: [
          '**/*.test.{ts,tsx}',
          'src/test/**',
          'server/testing.ts',
          'src/main.tsx',
          'server/server.ts',
        ],
      },
    },
  };
});
