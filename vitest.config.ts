import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Never let a test reach the cloud metadata address through an SDK default chain.
    env: { AWS_EC2_METADATA_DISABLED: 'true', METADATA_SERVER_DETECTION: 'none', AGENT_READY_NOW: '2026-11-25', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
