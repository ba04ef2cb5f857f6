import { packageProject } from '../../vitest.shared.ts';

export default packageProject('transcript-api', { testTimeout: 60_000, hookTimeout: 60_000 });
