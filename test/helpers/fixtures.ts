import path from 'node:path';

/**
 * Test data from FlameGraph and inferno (../shared/fixtures beside the repository, as in CI's
 * clone); FLAMEBENCH_SHARED_FIXTURES points elsewhere when the checkout lives somewhere else.
 */
export const SHARED_FIXTURES =
  process.env.FLAMEBENCH_SHARED_FIXTURES ?? path.resolve(import.meta.dirname, '../../../shared/fixtures');
