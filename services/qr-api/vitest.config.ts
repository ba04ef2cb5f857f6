import { packageProject } from '../../vitest.shared.ts';

export default packageProject('qr-api', { testTimeout: 20_000 });
