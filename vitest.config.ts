import { defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

/**
 * Workspace packages resolve to their TypeScript sources through the `@gossip-ring/source` export
 * condition (tests run without a build; published packages have no such condition).
 */
const conditions = ['@gossip-ring/source', ...defaultServerConditions]

/**
 * Three suites:
 * - `unit`: every package's own tests (pure logic, and the cluster on loopback TCP / in-memory);
 * - `net`: cross-package tests under `test/` that start OS processes in network namespaces
 *   (real mDNS). They need root and iproute2; in CI they fail loudly if they cannot run.
 * - `consumer`: the packed packages installed with npm outside the workspace, as a user would
 *   (needs `pnpm build` first and Node 22 in ./.tools/node22, as scripts/test.sh installs it).
 */
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      },
      {
        extends: true,
        test: {
          name: 'net',
          include: ['test/**/*.test.ts'],
          exclude: ['test/consumer/**'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false
        }
      },
      {
        extends: true,
        test: {
          name: 'consumer',
          include: ['test/consumer/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000
        }
      }
    ]
  }
})
