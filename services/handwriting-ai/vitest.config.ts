import { packageProject } from '../../vitest.shared.ts';

export default packageProject('handwriting-ai', { testTimeout: 180_000, hookTimeout: 180_000 });
