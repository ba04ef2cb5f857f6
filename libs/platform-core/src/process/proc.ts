import { readFileSync, readdirSync } from 'node:fs';

/** What /proc says about a process (Linux): its process group and its start time in clock ticks since boot. */
export interface ProcStat {
  pid: number;
  pgid: number;
  startTicks: number;
}

/** The stat of a running process, or undefined once it is gone (zombies count as gone). */
export function procStat(pid: number | 'self'): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  } catch {
    // No /proc entry: the process has exited (or /proc is not mounted, where nothing here can see it either).
    return undefined;
  }
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 of proc(5): state; 5 is pgrp, 22 is starttime.
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  return { pid: Number(text.slice(0, text.indexOf(' '))), pgid: Number(fields[2]), startTicks: Number(fields[19]) };
}

/** Identifies this boot, so start times recorded before a reboot are never compared with today's. */
export function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // No boot id (not Linux, or /proc hidden): records are then compared by their start times alone.
    return 'unknown';
  }
}

/** Live processes whose process group is `pgid`. */
export function groupMembers(pgid: number): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    // No /proc (not Linux): no member can be seen, so none is reported.
    return [];
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => procStat(Number(entry)))
    .filter((stat): stat is ProcStat => stat?.pgid === pgid);
}

/** Signals a whole process group; false when it no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    // ESRCH (the group is gone) or EPERM (its id now belongs to someone else's processes): either way not ours.
    return false;
  }
}
