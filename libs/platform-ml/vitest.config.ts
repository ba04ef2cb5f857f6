import { packageProject } from '../../vitest.shared.ts';

export default packageProject('@platform/ml', { testTimeout: 120_000 });
