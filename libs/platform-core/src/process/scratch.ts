import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { bootId, groupMembers, procStat, signalGroup } from './proc.js';

/** Who a record is about: a process (or group leader) as it was when recorded. */
interface ProcessRecord {
  pid: number;
  start_ticks: number;
  boot_id: string;
}

const OWNER_FILE = '.owner.json';
const GROUP_FILE = /^\.group-(\d+)\.json$/;
const JOB_PREFIX = 'job-';
/** A dir this young without an owner file may be one another process is creating right now. */
const OWNERLESS_GRACE_MS = 60_000;

export interface ScratchJob {
  /** The job's own directory; everything in it is removed by `dispose` or, after a crash, by `sweep`. */
  readonly dir: string;
  /** Records a running child's process group so a later `sweep` can end it; returns the un-recorder. */
  recordGroup(pgid: number): () => void;
  dispose(): Promise<void>;
}

export interface SweepReport {
  killedGroups: number[];
  removedDirs: string[];
}

export interface ScratchArea {
  readonly root: string;
  createJob(): Promise<ScratchJob>;
  /**
   * Ends the recorded process groups of jobs whose owning process is gone and deletes those jobs'
   * dirs. Call it at process start; jobs of live processes (this one, or a sibling replica sharing
   * the root) are left alone.
   */
  sweep(): Promise<SweepReport>;
}

function recordOf(pid: number): ProcessRecord | undefined {
  const stat = procStat(pid);
  return stat && { pid, start_ticks: stat.startTicks, boot_id: bootId() };
}

/** True only when the recorded process still runs: same boot, same pid, same start time. */
function stillRunning(record: ProcessRecord): boolean {
  return record.boot_id === bootId() && procStat(record.pid)?.startTicks === record.start_ticks;
}

/**
 * Whether the group `record.pid` is still the recorded one. With its leader alive, the start times
 * must match (else the pid was reused). With the leader gone, the group lives on only through its
 * members, and none of them may be older than the recorded group.
 */
function isRecordedGroup(record: ProcessRecord): boolean {
  if (record.boot_id !== bootId()) return false;
  const members = groupMembers(record.pid);
  if (members.length === 0) return false;
  const leader = members.find((member) => member.pid === record.pid);
  if (leader) return leader.startTicks === record.start_ticks;
  return members.every((member) => member.startTicks >= record.start_ticks);
}

async function readRecord(path: string): Promise<ProcessRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ProcessRecord;
  } catch {
    // Gone (its child just ended) or half-written (its writer was killed mid-write): no record to act on.
    return undefined;
  }
}

async function endRecordedGroups(dir: string): Promise<number[]> {
  const killed: number[] = [];
  for (const name of await readdir(dir)) {
    if (!GROUP_FILE.test(name)) continue;
    const record = await readRecord(join(dir, name));
    if (record && isRecordedGroup(record) && signalGroup(record.pid, 'SIGKILL')) killed.push(record.pid);
  }
  return killed;
}

async function isLeftover(dir: string): Promise<boolean> {
  const owner = await readRecord(join(dir, OWNER_FILE));
  if (owner) return !stillRunning(owner);
  return Date.now() - (await stat(dir)).mtimeMs > OWNERLESS_GRACE_MS;
}

/**
 * Per-job scratch dirs under `root` (a configured path; never the OS temp dir unless configured so).
 * Each job dir names its owning process and the process groups of its running children, so a
 * process restarted after SIGKILL can end what its predecessor left running and delete its files.
 */
export function createScratchArea(root: string): ScratchArea {
  return {
    root,
    async createJob() {
      await mkdir(root, { recursive: true });
      const dir = await mkdtemp(join(root, JOB_PREFIX));
      const self = recordOf(process.pid);
      if (self) writeFileSync(join(dir, OWNER_FILE), JSON.stringify(self));
      return {
        dir,
        recordGroup(pgid) {
          const record = recordOf(pgid);
          if (!record) return () => undefined;
          // Written synchronously right after spawn: the window in which a crash goes unrecorded stays tiny.
          const path = join(dir, `.group-${String(pgid)}.json`);
          writeFileSync(path, JSON.stringify(record));
          return () => {
            rmSync(path, { force: true });
          };
        },
        dispose: () => rm(dir, { recursive: true, force: true }),
      };
    },
    async sweep() {
      const report: SweepReport = { killedGroups: [], removedDirs: [] };
      let names: string[];
      try {
        names = readdirSync(root);
      } catch (error) {
        // No scratch area yet (nothing ran here before): nothing to sweep. Anything else is a real fault.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return report;
        throw error;
      }
      for (const name of names.filter((entry) => entry.startsWith(JOB_PREFIX))) {
        const dir = join(root, name);
        if (!(await isLeftover(dir))) continue;
        report.killedGroups.push(...(await endRecordedGroups(dir)));
        await rm(dir, { recursive: true, force: true });
        report.removedDirs.push(dir);
      }
      return report;
    },
  };
}

/**
 * The scratch area a process starts with: `root`, swept first of what a predecessor killed with
 * SIGKILL left running or on disk (logged when there was anything).
 */
export async function openScratchArea(root: string, logger: Logger): Promise<ScratchArea> {
  const scratch = createScratchArea(root);
  const swept = await scratch.sweep();
  if (swept.killedGroups.length > 0 || swept.removedDirs.length > 0) {
    logger.info(
      { root, killed_groups: swept.killedGroups.length, removed_dirs: swept.removedDirs.length },
      'scratch area swept of what a previous run left',
    );
  }
  return scratch;
}
