import { packageProject } from '../../vitest.shared';

export default packageProject('@platform/music', { testTimeout: 60_000 });
