import { defineConfig } from 'vitest/config'

/**
 * Two suites:
 * - `unit`: every package's own tests (pure logic, and the cluster on loopback TCP / in-memory);
 * - `net`: cross-package tests under `test/` that start OS processes in network namespaces
 *   (real mDNS). They need root and iproute2; in CI they fail loudly if they cannot run.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      },
      {
        test: {
          name: 'net',
          include: ['test/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false
        }
      }
    ]
  }
})
