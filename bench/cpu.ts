import { readFileSync } from 'node:fs';

/** Linux clock ticks (USER_HZ) are 10 ms. */
const TICK_MS = 10;

export interface CpuSample {
  processMs: number;
  machineBusy: number;
  machineTotal: number;
  machineSteal: number;
}

/** CPU used so far by one process (user + system) and by the whole machine, from /proc. */
export function sampleCpu(pid: number): CpuSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = (
    readFileSync('/proc/stat', 'utf8').split('\n', 1).at(0) ?? ''
  )
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return {
    processMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
    machineBusy: total - idle - iowait,
    machineTotal: total,
    machineSteal: steal,
  };
}

/** Process CPU ms per request, and the machine's busy and steal fractions, between two samples. */
export function cpuBetween(before: CpuSample, after: CpuSample, requests: number) {
  const total = after.machineTotal - before.machineTotal || 1;
  return {
    serverCpuMsPerRequest: Math.round(((after.processMs - before.processMs) / (requests || 1)) * 1000) / 1000,
    machineBusy: Math.round(((after.machineBusy - before.machineBusy) / total) * 100) / 100,
    machineSteal: Math.round(((after.machineSteal - before.machineSteal) / total) * 1000) / 1000,
  };
}

/** Resident set size of one process in MB (VmRSS), from /proc. */
export function sampleRssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : Number.NaN;
}
