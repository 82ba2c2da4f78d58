// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** Lint rules for the whole workspace: recommended JS and TypeScript rules, no type-aware rules (fast). */
export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'docs/**', '**/*.d.ts', 'packages/cluster/src/wire/*.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // plain JavaScript run by node (the consumer's app.mjs)
  { files: ['**/*.mjs'], languageOptions: { globals: { AbortSignal: 'readonly', console: 'readonly', process: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always']
    }
  }
)
