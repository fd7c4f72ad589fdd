import { runCreateKeys } from "../src/commands/create-keys/handler.ts";
import { parseMnemonic } from "../src/crypto/mnemonic.ts";
import { nonInteractivePrompter } from "../src/lib/terminal.ts";
import { BENCH_MNEMONIC, BENCH_VAULT } from "./support.ts";

/**
 * Runs `create-keys` in its own process so that its peak memory (maxRSS, which covers the worker
 * threads too) is measured alone. Prints one JSON line: {count, seconds, maxRssBytes}.
 */
const [dataDir, countText] = process.argv.slice(2);
if (!dataDir || !countText) throw new Error("usage: create-keys-child.ts <data-dir> <count>");
const started = performance.now();
await runCreateKeys(
  {
    vault: BENCH_VAULT,
    mnemonic: parseMnemonic(BENCH_MNEMONIC),
    count: Number(countText),
    perKeystorePassword: false,
    dataDir,
  },
  {
    output: { line: () => {}, write: () => {}, isTTY: false },
    prompter: nonInteractivePrompter,
    signal: new AbortController().signal,
  },
);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({ count: Number(countText), seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
);
