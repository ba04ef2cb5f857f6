import { packageProject } from '../../vitest.shared';

export default packageProject('music-wrapped-api', { testTimeout: 60_000 });
