/**
 * A closed pipe on stdout or stderr (`operator start --help | head -2`): writing to it fails with
 * EPIPE. Unix tools end quietly then (SIGPIPE); Node ignores SIGPIPE and raises the error instead,
 * which, unhandled, prints a stack trace. A watch turns the first EPIPE into one call of
 * `onBroken`, so the process can stop like on Ctrl-C and exit without a word.
 */
export interface BrokenPipeWatch {
  /** True once a write failed with EPIPE. */
  readonly broken: boolean;
  /** Reports a write error from elsewhere (a logger writing to fd 1); true when it was EPIPE. */
  report(error: unknown): boolean;
}

export function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "EPIPE";
}

export function watchBrokenPipe(
  streams: readonly NodeJS.EventEmitter[],
  onBroken: () => void,
): BrokenPipeWatch {
  let broken = false;
  const report = (error: unknown): boolean => {
    if (!isBrokenPipe(error)) return false;
    if (!broken) {
      broken = true;
      onBroken();
    }
    return true;
  };
  for (const stream of streams) {
    stream.on("error", (error: unknown) => {
      // Any other stream error stays what it was without a listener: an uncaught exception.
      if (!report(error)) throw error;
    });
  }
  return {
    get broken() {
      return broken;
    },
    report,
  };
}
