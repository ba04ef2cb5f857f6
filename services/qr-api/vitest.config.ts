import { packageProject } from '../../vitest.shared';

export default packageProject('qr-api', { testTimeout: 20_000 });
