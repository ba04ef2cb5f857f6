import { packageProject } from '../../vitest.shared.ts';

export default packageProject('data-bank-api', { testTimeout: 60_000, hookTimeout: 30_000 });
