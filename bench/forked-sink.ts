import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** A local SMTP sink running in a child process. */
export interface ForkedSink {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the demo SMTP sink in its own process, as a real mail server would be: the
 * benchmark's process then holds only the sender, so its memory and CPU figures are the
 * sender's alone.
 */
export async function forkSink(): Promise<ForkedSink> {
  const compiled = import.meta.url.endsWith('.js');
  const file = fileURLToPath(new URL(compiled ? 'sink-process.js' : 'sink-process.ts', import.meta.url));
  const child = fork(file, [], { execArgv: compiled ? [] : ['--import', 'tsx'] });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  return {
    port,
    close: async () => {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}
