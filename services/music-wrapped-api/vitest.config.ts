import { packageProject } from '../../vitest.shared.ts';

export default packageProject('music-wrapped-api', { testTimeout: 60_000 });
