import { packageProject } from '../../vitest.shared.ts';

export default packageProject('model-trainer', { testTimeout: 120_000, hookTimeout: 120_000 });
