import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Deliveries the recording sink counted for the recipients with one prefix. */
export interface SinkCount {
  /** Messages accepted, counting each recipient once per message. */
  delivered: number;
  /** Recipients that received at least one message. */
  distinct: number;
  /** Deliveries beyond the first to the same recipient. */
  duplicates: number;
}

/** The recording SMTP sink (recording-sink-process.ts) running in a child process. */
export interface RecordingSink {
  port: number;
  /** What the sink has accepted so far for recipients starting with `prefix`. */
  count(prefix: string): Promise<SinkCount>;
  close(): Promise<void>;
}

/** Runs a compiled sibling with plain node, or a source file through tsx. */
export function benchScript(name: string): { file: string; execArgv: string[] } {
  const compiled = import.meta.url.endsWith('.js');
  return {
    file: fileURLToPath(new URL(compiled ? `${name}.js` : `${name}.ts`, import.meta.url)),
    execArgv: compiled ? [] : ['--import', 'tsx'],
  };
}

/** Starts the recording sink in its own process, answering DATA after `latencyMs`. */
export async function forkRecordingSink(latencyMs = 0): Promise<RecordingSink> {
  const { file, execArgv } = benchScript('recording-sink-process');
  const child = fork(file, [], { execArgv, env: { ...process.env, SINK_LATENCY_MS: String(latencyMs) } });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  // One question at a time: answers come back in order.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    port,
    count: (prefix) => {
      const answer = queue.then(async () => {
        const reply = once(child, 'message');
        child.send({ type: 'count', prefix });
        return ((await reply) as [SinkCount])[0];
      });
      queue = answer.catch(() => undefined);
      return answer;
    },
    close: async () => {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}
