// Type-checked lint for the API and the shared contracts; the web app has its own rules below.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      '.angular/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/unbound-method': 'off',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
      'no-console': 'error',
    },
  },
  {
    // apps/web never imports apps/api, and the reverse; contracts import neither.
    files: ['apps/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/api/**', '**/api/src/**'],
              message:
                'the console talks to the API over HTTP; share types through @taskdeck/contracts',
            },
          ],
        },
      ],
      'no-console': 'off',
    },
  },
  {
    // The console's specs compile with vitest's globals (tsconfig.spec.json), not the app's tsconfig.
    files: ['apps/web/**/*.spec.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: ['./apps/web/tsconfig.spec.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/web/**', '**/web/src/**', '@angular/*'],
              message: 'the API never imports the console',
            },
          ],
          paths: [
            {
              name: 'class-validator',
              importNames: ['IsOptional'],
              message:
                'IsOptional lets null through; declare optional DTO fields with @OptionalField() (common/validation)',
            },
            ...['@nestjs/swagger', '@nestjs/mapped-types'].map((name) => ({
              name,
              importNames: ['PartialType'],
              message:
                'PartialType marks every field with IsOptional, which lets null through; declare the update DTO with @OptionalField() fields',
            })),
          ],
        },
      ],
    },
  },
  {
    files: ['libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', '@angular/*', 'class-validator', 'typeorm', '**/apps/**'],
              message: 'contracts stay framework-free',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'apps/api/test/**/*.ts', 'apps/api/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      // Polling helpers and fakes take async callbacks that sometimes need no await.
      '@typescript-eslint/require-await': 'off',
    },
  },
);
