import { packageProject } from '../../vitest.shared.ts';

export default packageProject('@platform/music', { testTimeout: 60_000 });
