import { packageProject } from '../../vitest.shared';

export default packageProject('console', { testTimeout: 120_000, hookTimeout: 120_000 });
