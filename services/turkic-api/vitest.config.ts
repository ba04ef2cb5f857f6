import { packageProject } from '../../vitest.shared.ts';

export default packageProject('turkic-api', { testTimeout: 30_000, hookTimeout: 30_000 });
