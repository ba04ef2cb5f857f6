import { packageProject } from '../../vitest.shared';

export default packageProject('@platform/core', { testTimeout: 20_000 });
