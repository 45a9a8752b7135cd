/** A writable stream that keeps what is written (for CLI output in tests). */
import { Writable } from 'node:stream';

export function sink(): Writable & { text: () => string } {
  const parts: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      parts.push(String(chunk));
      callback();
    },
  }) as Writable & { text: () => string };
  stream.text = () => parts.join('');
  return stream;
}
