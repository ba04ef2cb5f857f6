import { packageProject } from '../../vitest.shared.ts';

export default packageProject('@platform/instrument-io', { testTimeout: 120_000, hookTimeout: 120_000 });
