import { packageProject } from '../../vitest.shared.ts';

export default packageProject('@platform/discord', { testTimeout: 120_000, hookTimeout: 120_000 });
