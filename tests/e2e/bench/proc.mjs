// Small helpers shared by the browser benchmark's scripts: quantiles, and the peak RSS
// of this node process's own Chromium renderers (read from /proc).

import { readdirSync, readFileSync } from 'node:fs';

/** The `q` quantile of `values` (nearest rank), or undefined when there are none. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.round((sorted.length - 1) * q)];
}

/** The median of `values`. */
export const median = (values) => quantile(values, 0.5);

/** True when `pid` descends from this node process (our Chromium, not another one). */
function isOurs(pid) {
  for (let i = 0, p = pid; i < 12 && p > 1; i += 1) {
    if (p === process.pid) return true;
    try {
      p = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return false;
    }
  }
  return false;
}

/** The pids of our Chromium's renderer processes now alive. */
export function rendererPids() {
  const pids = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('--type=renderer') && isOurs(Number(pid))) pids.push(Number(pid));
    } catch {
      // the process ended
    }
  }
  return pids;
}

/** Peak RSS (VmHWM, bytes) of the largest of `pids` (default: every renderer of ours). */
export function rendererPeakRss(pids = rendererPids()) {
  let peak = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // the process ended
    }
  }
  return peak;
}
