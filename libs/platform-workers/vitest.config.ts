import { packageProject } from '../../vitest.shared.ts';

export default packageProject('@platform/workers', { testTimeout: 20_000 });
