// The kernel's text formats for the files node_exporter's collectors read, filled from the simulated host.
import { CPU_MODES, type DiskCounters, type HostActivity } from './host-activity.ts';

/** The simulated data disk: a SCSI disk (major 8) whose first partition holds the data filesystem. */
export const DATA_DISK = { major: 8, minor: 0, name: 'sda', partition: '/dev/sda1' } as const;

/**
 * /proc/stat, only its cpu lines: the cpu collector reads nothing else (the stat collector, which
 * reads the rest, is not enabled). Jiffies are whole numbers, as the kernel writes them; the
 * aggregate line is the sum of the per-CPU lines.
 */
export function procStat(activity: HostActivity): string {
  const perCpu = activity.cpuJiffies.map((jiffies) => jiffies.map(Math.floor));
  const total = CPU_MODES.map((_, i) => perCpu.reduce((sum, jiffies) => sum + jiffies[i]!, 0));
  return [`cpu  ${total.join(' ')}`, ...perCpu.map((jiffies, cpu) => `cpu${cpu} ${jiffies.join(' ')}`)].join('\n') + '\n';
}

/**
 * /proc/meminfo for `usedPercent` of `totalBytes` in use. MemFree + Buffers + Cached equals
 * MemAvailable, so the modern rule (1 - MemAvailable / MemTotal) and the classic one
 * (MemTotal - MemFree - Buffers - Cached) / MemTotal both read the fault's percent. No swap, as on
 * most servers.
 */
export function procMeminfo(totalBytes: number, usedPercent: number): string {
  const totalKb = Math.floor(totalBytes / 1024);
  const availableKb = Math.round(totalKb * (1 - usedPercent / 100));
  const usedKb = totalKb - availableKb;
  const buffersKb = Math.round(availableKb * 0.05);
  const cachedKb = Math.round(availableKb * 0.45);
  const fields: [string, number][] = [
    ['MemTotal', totalKb],
    ['MemFree', availableKb - buffersKb - cachedKb],
    ['MemAvailable', availableKb],
    ['Buffers', buffersKb],
    ['Cached', cachedKb],
    ['SwapCached', 0],
    ['Active', Math.round(usedKb * 0.7 + cachedKb * 0.5)],
    ['Inactive', Math.round(usedKb * 0.3 + cachedKb * 0.5 + buffersKb)],
    ['SwapTotal', 0],
    ['SwapFree', 0],
    ['Dirty', 0],
    ['Writeback', 0],
    ['Shmem', Math.min(cachedKb, Math.round(totalKb * 0.005))],
  ];
  return fields.map(([name, kb]) => `${`${name}:`.padEnd(16)}${String(kb).padStart(8)} kB`).join('\n') + '\n';
}

/** /proc/loadavg: three averages with two decimals, running/total tasks, the last pid. */
export function procLoadavg(activity: HostActivity): string {
  const running = Math.max(1, Math.round(activity.load1));
  return `${activity.load1.toFixed(2)} ${activity.load5.toFixed(2)} ${activity.load15.toFixed(2)} ${running}/${180 + running} 4242\n`;
}

/**
 * /proc/diskstats in the 20-column layout of kernels since 5.5 (discard and flush columns
 * included), so node_exporter exports every node_disk_* series it knows.
 */
export function procDiskstats(disk: DiskCounters): string {
  const columns = [
    disk.readsCompleted,
    disk.readsMerged,
    disk.sectorsRead,
    disk.readMs,
    disk.writesCompleted,
    disk.writesMerged,
    disk.sectorsWritten,
    disk.writeMs,
    0, // in flight: every simulated op completes within its tick
    disk.ioMs,
    disk.weightedIoMs,
    0, // discards completed, merged, sectors, ms: the workload issues none
    0,
    0,
    0,
    disk.flushes,
    disk.flushMs,
  ].map(Math.floor);
  return `${String(DATA_DISK.major).padStart(4)} ${String(DATA_DISK.minor).padStart(7)} ${DATA_DISK.name} ${columns.join(' ')}\n`;
}

/**
 * /proc/1/mounts: only the data filesystem. Any other entry would be statfs'd under the rootfs
 * path on the real disk and report the real machine. It claims ext4 on sda1 because disk-space
 * rules commonly exclude fstype tmpfs, which is what actually backs it.
 */
export function procMounts(mountpoint: string): string {
  return `${DATA_DISK.partition} ${mountpoint} ext4 rw,relatime 0 0\n`;
}

/** udev's record of the data disk (`--path.udev.data`/b8:0), so node_disk_info says what the disk is. */
export function udevDiskRecord(): string {
  return 'E:ID_MODEL=firedrill_simulated_disk\nE:ID_SERIAL_SHORT=FIREDRILL0001\n';
}

export function udevDiskRecordName(): string {
  return `b${DATA_DISK.major}:${DATA_DISK.minor}`;
}
