import { packageProject } from '../../vitest.shared';

export default packageProject('@platform/discord', { testTimeout: 120_000, hookTimeout: 120_000 });
