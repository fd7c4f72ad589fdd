import cliProgress from "cli-progress";
import type { Output } from "./terminal.ts";

/** A set of labelled bars that advance together (e.g. the three create-keys stages). */
export interface ProgressBars {
  increment(bar: number): void;
  stop(): void;
}

const BAR_WIDTH = 36;

function renderLine(label: string, value: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((value / total) * BAR_WIDTH);
  return `${label}  [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]  ${value}/${total}`;
}

/**
 * Live bars on a terminal; without one (scripts, CI, logs) each bar is printed once, when it
 * completes, so the output stays readable.
 */
export function createProgressBars(output: Output, labels: readonly string[], total: number): ProgressBars {
  const width = Math.max(...labels.map((l) => l.length));
  const padded = labels.map((l) => l.padEnd(width));
  const values = labels.map(() => 0);
  if (!output.isTTY) {
    return {
      increment(bar) {
        values[bar] = (values[bar] ?? 0) + 1;
        if (values[bar] === total) output.line(renderLine(padded[bar] ?? "", total, total));
      },
      stop() {},
    };
  }
  const multi = new cliProgress.MultiBar(
    {
      format: `{label}  [{bar}]  {value}/{total}`,
      barCompleteChar: "#",
      barIncompleteChar: "-",
      barsize: BAR_WIDTH,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
    },
    cliProgress.Presets.legacy,
  );
  const bars = padded.map((label) => multi.create(total, 0, { label }));
  return {
    increment(bar) {
      bars[bar]?.increment();
    },
    stop() {
      multi.stop();
    },
  };
}
