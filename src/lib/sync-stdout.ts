import { writeSync } from "node:fs";

const RETRY_MS = 10;

/**
 * Stdout written synchronously with `writeSync`, so that no line is lost when the process exits.
 * A pipe Node has made non-blocking may take part of a line or none (EAGAIN): the rest is
 * written after a short blocking wait. Any other failure (EPIPE: the reader went away) stops the
 * destination: `onError` gets the error once, or the write throws it, and later lines are dropped.
 */
export function syncStdout(onError?: (error: unknown) => void): { write(chunk: string): void } {
  let stopped = false;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  return {
    write(chunk: string) {
      if (stopped) return;
      // Set after a partial write: the bytes still to go.
      let rest: Buffer | undefined;
      for (;;) {
        try {
          if (rest === undefined) {
            const written = writeSync(1, chunk);
            if (written >= Buffer.byteLength(chunk)) return;
            rest = Buffer.from(chunk).subarray(written);
          } else {
            const written = writeSync(1, rest);
            if (written >= rest.length) return;
            rest = rest.subarray(written);
          }
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
            Atomics.wait(pause, 0, 0, RETRY_MS);
            continue;
          }
          stopped = true;
          if (!onError) throw error;
          onError(error);
          return;
        }
      }
    },
  };
}
