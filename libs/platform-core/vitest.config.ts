import { packageProject } from '../../vitest.shared.ts';

export default packageProject('@platform/core', { testTimeout: 20_000 });
