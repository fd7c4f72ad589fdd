import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SRC } from "./source-files.ts";

/**
 * `operator --version`, `--help` and a usage error load the command tree only: each command
 * loads its handler when it runs (src/commands/load-handler.ts). The suite starts the CLI
 * hundreds of times and users run `--help`: loading every handler took ~0.7 s more each time.
 */

/** The packages the command tree may load: the option parsers' own (mnemonic words, EIP-55). */
const ALLOWED_PACKAGES = ["commander", "@scure/bip39", "@noble/hashes"];

/**
 * Runs the CLI's main() in a child with a resolve hook, for `--help` and then a usage error, and
 * returns every module it loaded (file paths).
 */
function modulesLoadedByCli(): string[] {
  const cli = pathToFileURL(`${SRC}bin/cli.ts`).href;
  const script = `
    import { registerHooks } from "node:module";
    const loaded = new Set();
    registerHooks({
      resolve(specifier, context, next) {
        const result = next(specifier, context);
        loaded.add(result.url);
        return result;
      },
    });
    const { main } = await import(${JSON.stringify(cli)});
    await main(["node", "operator", "--help"]);
    await main(["node", "operator", "init", "--vault", "notanaddress"]);
    process.stdout.write("\\n" + JSON.stringify([...loaded]));
    process.exit(0);
  `;
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "" },
    timeout: 10_000,
  });
  const urls = JSON.parse(output.slice(output.lastIndexOf("\n") + 1)) as string[];
  return urls.filter((url) => url.startsWith("file:")).map((url) => fileURLToPath(url));
}

/** The package a file in node_modules belongs to ("viem", "@chainsafe/blst"), else undefined. */
function packageOf(path: string): string | undefined {
  const inside = path.split("/node_modules/").at(-1);
  if (inside === undefined || inside === path) return undefined;
  const [scope, name] = inside.split("/");
  return scope?.startsWith("@") ? `${scope}/${name}` : scope;
}

describe("the CLI starts without loading command handlers", () => {
  const loaded = modulesLoadedByCli();

  it("ran: the CLI and its commands' options were loaded", () => {
    assert.ok(loaded.some((path) => path.endsWith("/src/commands/init/command.ts")));
    assert.ok(loaded.some((path) => packageOf(path) === "commander"));
  });

  it("--help and a usage error load no package but the option parsers' (no viem, zod, BLS, fastify, postgres)", () => {
    const packages = [...new Set(loaded.map(packageOf).filter((name) => name !== undefined))];
    assert.deepEqual(
      packages.filter((name) => !ALLOWED_PACKAGES.includes(name)).sort(),
      [],
      "a command.ts or an option module imports something heavy: move it behind the handler's dynamic import",
    );
  });

  it("--help and a usage error load no handler module", () => {
    const ours = loaded.filter((path) => path.startsWith(SRC)).map((path) => relative(SRC, path));
    const handlers = ours.filter((path) => /^commands\/.*\/handlers?\.ts$/.test(path));
    assert.deepEqual(handlers, []);
    // Today about 60 of ~700: a jump means a heavy import came back into the command tree.
    assert.ok(ours.length < 100, `the command tree loads ${ours.length} of our modules`);
  });
});
