/**
 * Process entry point of the `operator` CLI. Kept tiny on purpose: `operator start` is a
 * long-running service whose resident memory is mostly V8's young generation, which Node sizes
 * for throughput (up to 3 × 32 MiB semi-spaces) and never gives back. Before any of the CLI is
 * loaded, a `start` process replaces itself (same pid, same stdio, via execve) with one whose
 * semi-spaces are capped, which keeps a 10,000-key service under 300 MiB. Other commands are
 * short-lived and keep Node's defaults. OPERATOR_NODE_FLAGS=keep disables this.
 */
import { enableCompileCache } from "node:module";
import { SERVICE_NODE_FLAGS, serviceReexecArgs } from "./service-heap.ts";

const args = serviceReexecArgs({
  argv: process.argv,
  execArgv: process.execArgv,
  flags: SERVICE_NODE_FLAGS,
  env: process.env,
});
if (args && typeof process.execve === "function") process.execve(process.execPath, args, process.env);

// V8's code cache for our modules (in the OS temp dir, keyed by content): every CLI start after the
// first skips compiling them again, about a second on a small machine. NODE_DISABLE_COMPILE_CACHE=1
// turns it off.
enableCompileCache();

// A SIGINT/SIGTERM while the CLI loads is kept and handed over, and the command then does not start
// at all (instead of the process dying half-loaded). The command tree loads in a fraction of a
// second; each command loads its handler when it runs (commands/load-handler.ts does the same there).
const earlySignals: NodeJS.Signals[] = [];
const keep = (signal: NodeJS.Signals) => earlySignals.push(signal);
process.on("SIGINT", keep);
process.on("SIGTERM", keep);
const { main } = await import("./cli.ts");
process.off("SIGINT", keep);
process.off("SIGTERM", keep);
process.exitCode = await main(process.argv, earlySignals);
