import { Writable } from 'node:stream';
import { pino } from 'pino';

/** A pino entry as written: its level number, message and fields. */
export type PinoEntry = { level: number; msg: string } & Record<string, unknown>;

/** Pino's level numbers. */
export const PINO_LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** A real pino logger (level debug) writing JSON lines into memory; `entries` parses them. */
export function pinoCapture(): { logger: pino.Logger; entries: () => PinoEntry[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), entries: () => lines.map((line) => JSON.parse(line) as PinoEntry) };
}
