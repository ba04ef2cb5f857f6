import { packageProject } from '../../vitest.shared';

export default packageProject('@platform/workers', { testTimeout: 20_000 });
