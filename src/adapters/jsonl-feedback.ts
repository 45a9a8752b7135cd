/**
 * FeedbackSink that appends one JSON line per feedback to a file (Node only).
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FeedbackEntry, FeedbackSink } from '../http/schemas.ts';

/**
 * Creates a JSONL feedback sink. The folder is created on first write; writes are serialised so
 * concurrent requests never interleave lines.
 */
export function createJsonlFeedbackSink(options: { file: string }): FeedbackSink {
  let ready: Promise<unknown> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    append(entry: FeedbackEntry): Promise<void> {
      // One line per entry: JSON.stringify escapes newlines inside strings.
      const line = `${JSON.stringify(entry)}\n`;
      const write = queue.then(async () => {
        ready ??= mkdir(dirname(options.file), { recursive: true }).catch((error: unknown) => {
          ready = undefined; // retry on the next write
          throw error;
        });
        await ready;
        await appendFile(options.file, line, 'utf8');
      });
      // Keep the queue going after a failed write; the caller still sees the error.
      queue = write.catch(() => undefined);
      return write;
    },
  };
}
