module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Shared assertion helpers (__testUtils__/sharedChecks.ts) are named expect…
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expect*'] },
    ],
  },
});
