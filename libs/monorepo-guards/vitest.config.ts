import { packageProject } from '../../vitest.shared.ts';

export default packageProject('@platform/monorepo-guards', { testTimeout: 120_000, hookTimeout: 120_000 });
