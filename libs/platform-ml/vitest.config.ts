import { packageProject } from '../../vitest.shared';

export default packageProject('@platform/ml', { testTimeout: 120_000 });
