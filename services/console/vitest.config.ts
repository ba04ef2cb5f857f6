import { packageProject } from '../../vitest.shared.ts';

export default packageProject('console', { testTimeout: 120_000, hookTimeout: 120_000 });
