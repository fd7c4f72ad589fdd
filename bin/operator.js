#!/usr/bin/env node
// Launcher for the `operator` CLI. The CLI is TypeScript run by Node's type stripping, which
// needs Node >= 22.18. On an older system Node it re-runs itself under the Node the repo pins
// (node_modules/node, installed by `npm install`).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [major, minor] = process.versions.node.split(".").map(Number);
const supported = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);

if (supported) {
  // Before the first TypeScript file: with the cache on, Node does not load its type stripper at
  // all when every module is cached (~45 ms of each start). src/bin/operator.ts turns it on too,
  // for runs that start there (tests), where that file itself is stripped every time.
  // (Imported here: the Node this file may first run under, to re-run itself, has no such export.)
  const { enableCompileCache } = await import("node:module");
  enableCompileCache();
  await import(join(root, "src", "bin", "operator.ts"));
} else {
  const pinned = join(root, "node_modules", "node", "bin", "node");
  if (!existsSync(pinned)) {
    process.stderr.write(
      `Error: operator needs Node.js >= 22.18 (this is ${process.version}); run "npm install" in ${root} to get the pinned Node.js\n`,
    );
    process.exit(1);
  }
  process.title = "operator";
  const child = spawn(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  // Ctrl-C reaches the child directly (same process group); forwarding it as well would count
  // as a second Ctrl-C, which forces an exit. Signals sent to this process alone are forwarded.
  process.on("SIGINT", () => {});
  for (const signal of ["SIGTERM", "SIGHUP"]) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? (signal ? 128 + 2 : 1);
  });
}
