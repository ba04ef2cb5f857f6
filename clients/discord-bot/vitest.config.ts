import { packageProject } from '../../vitest.shared';

export default packageProject('discord-bot', { testTimeout: 120_000, hookTimeout: 120_000 });
