import { spawn } from 'node:child_process';
import type { ReadinessCheck } from './readiness.js';

/** A command that exits 0 when the tool is installed and usable, e.g. `ffmpeg -version`. */
export interface ToolProbe {
  command: string;
  args: string[];
  /** Debian packages that provide the tool, named in the failure; default: the tool's name. */
  packages?: string[];
}

const PROBE_TIMEOUT_MS = 5_000;

function probeTool(tool: string, probe: ToolProbe): Promise<void> {
  const install = `apt-get install ${(probe.packages ?? [tool]).join(' ')}`;
  const commandLine = [probe.command, ...probe.args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(probe.command, probe.args, { stdio: 'ignore', timeout: PROBE_TIMEOUT_MS });
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'ENOENT' ? `${tool} is not installed (${install})` : `${tool} cannot be run (${error.code ?? error.message})`,
        ),
      );
    });
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${tool} does not work: \`${commandLine}\` ended with ${code ?? signal} (${install})`));
    });
  });
}

/**
 * A readiness check that the service can run `tool`. A success is kept, so /readyz spawns the probe once;
 * a failure is probed again on the next call, so installing the tool makes the service ready. A probe
 * still running when /readyz gives up is shared by the next call; the child is killed after 5 s.
 */
export function toolReadiness(tool: string, probe: ToolProbe): ReadinessCheck {
  let installed: Promise<void> | undefined;
  return {
    name: tool,
    check: () => {
      installed ??= probeTool(tool, probe).catch((error: unknown) => {
        installed = undefined;
        throw error;
      });
      return installed;
    },
  };
}
