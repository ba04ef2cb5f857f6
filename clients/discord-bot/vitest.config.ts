import { packageProject } from '../../vitest.shared.ts';

export default packageProject('discord-bot', { testTimeout: 120_000, hookTimeout: 120_000 });
