import { packageProject } from '../../vitest.shared.ts';

export default packageProject('example-api', { testTimeout: 30_000, hookTimeout: 30_000 });
