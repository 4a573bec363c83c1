import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { connect } from 'node:net';
import { once } from 'node:events';
import { PG_URL, REDIS_URL } from './peer-sender.js';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system, µs) a process has used so far, from /proc; 0 when it is gone. */
async function processCpuUs(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The CPU time a database server spends for one sender, measured around a drain. */
export interface BackendCpu {
  /** Starts a measurement; the returned function ends it and gives the CPU time used meanwhile (µs). */
  start(): Promise<() => Promise<number>>;
  close(): Promise<void>;
}

/**
 * The CPU time of the PostgreSQL backends serving connections named `applicationName` (the
 * sender's pool): each backend is a process whose CPU time /proc counts. A backend that
 * appears during the measurement counts in full. PostgreSQL's shared background processes
 * (WAL writer, checkpointer, autovacuum) are not counted.
 */
export function postgresBackendCpu(applicationName: string): BackendCpu {
  const admin = new pg.Client({ connectionString: PG_URL });
  const connected = admin.connect();
  const backends = async (): Promise<Map<number, number>> => {
    await connected;
    const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [applicationName]);
    return new Map(await Promise.all(rows.map(async ({ pid }) => [pid, await processCpuUs(pid)] as const)));
  };
  return {
    start: async () => {
      const before = await backends();
      return async () => {
        const after = await backends();
        let used = 0;
        for (const [pid, cpu] of after) used += cpu - (before.get(pid) ?? 0);
        return used;
      };
    },
    close: () => admin.end(),
  };
}

/** The pid of the Redis server at `url`, from `INFO server` (one inline command on a socket of its own). */
async function redisPid(url: string): Promise<number> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port || 6379), hostname);
  await once(socket, 'connect');
  socket.write('INFO server\r\n');
  let reply = '';
  for await (const chunk of socket) {
    reply += String(chunk);
    const pid = /process_id:(\d+)/.exec(reply);
    if (pid !== null) {
      socket.destroy();
      return Number(pid[1]);
    }
  }
  throw new Error(`Redis at ${url} did not say its process id.`);
}

/** The CPU time of the Redis server (BullMQ's database; its only client during the benchmark). */
export function redisServerCpu(): BackendCpu {
  const pid = redisPid(REDIS_URL);
  return {
    start: async () => {
      const before = await processCpuUs(await pid);
      return async () => (await processCpuUs(await pid)) - before;
    },
    close: async () => undefined,
  };
}

/** No database server (raw nodemailer), or one inside the sender's process (SQLite). */
export const noBackendCpu: BackendCpu = { start: async () => async () => 0, close: async () => undefined };
