import { packageProject } from '../../vitest.shared.ts';

export default packageProject('@platform/testing', { testTimeout: 20_000 });
