import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, it } from "node:test";
import { moduleReferences, relativeImports, SRC, sourceFiles } from "./source-files.ts";

/**
 * The layering of src/: each layer may import only the layers listed for it. Shared modules never
 * import apps, and lib/ imports nothing else from src/.
 */
const ALLOWED: Record<string, readonly string[]> = {
  lib: ["lib"],
  crypto: ["crypto", "lib"],
  config: ["config", "lib"],
  chain: ["chain", "config", "lib"],
  keys: ["keys", "crypto", "config", "lib"],
  oracles: ["oracles", "chain", "keys", "crypto", "config", "lib"],
  // `devnet --dvt` runs the real DVT relayer and sidecars, and registers SSV shares made with the
  // SSV app's keyshares code: the devnet rehearses those apps as they run in production.
  devnet: ["devnet", "dvt", "ssv", "oracles", "chain", "keys", "crypto", "config", "lib"],
  // The SSV app journals its transactions with the operator's state store and sender.
  ssv: ["ssv", "operator", "oracles", "chain", "keys", "crypto", "config", "lib", "version.ts"],
  "remote-db": ["remote-db", "oracles", "chain", "keys", "crypto", "config", "lib"],
  // Rated Network's self-report API: an HTTP client of its own.
  rated: ["rated", "lib"],
  // The DVT relayer and sidecars: shared crypto, keys, chain and SSV pieces, no operator service.
  dvt: ["dvt", "ssv", "oracles", "chain", "keys", "crypto", "config", "lib", "version.ts"],
  operator: ["operator", "oracles", "chain", "keys", "crypto", "config", "lib", "version.ts"],
  commands: [
    "commands",
    "dvt",
    "ssv",
    "operator",
    "remote-db",
    "rated",
    "devnet",
    "oracles",
    "chain",
    "keys",
    "crypto",
    "config",
    "lib",
    "version.ts",
  ],
  bin: ["bin", "commands", "lib", "version.ts"],
};

/**
 * Folders that must not import some layers although their layer may. The devnet's oracles judge
 * what the operator sends them (shard encryption, Shamir shares, signatures, Merkle proofs, the
 * request's fields) with their own code and independent libraries: checked with the operator's
 * own functions, a bug shared by both sides would pass unseen.
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  "devnet/oracles": ["oracles", "crypto", "keys"],
};

function layerOf(path: string): string {
  return relative(SRC, path).split("/")[0] as string;
}

describe("architecture", () => {
  const files = sourceFiles(SRC);

  it("finds the source files", () => {
    assert.ok(files.length > 20);
  });

  it("every module imports only the layers it may", () => {
    const violations: string[] = [];
    for (const file of files) {
      const layer = layerOf(file);
      const allowed = ALLOWED[layer];
      if (!allowed) {
        if (layer !== "version.ts") violations.push(`${relative(SRC, file)}: layer "${layer}" has no rule`);
        continue;
      }
      for (const target of relativeImports(file)) {
        if (!target.startsWith(SRC)) {
          violations.push(`${relative(SRC, file)} imports ${target} outside src/`);
          continue;
        }
        const targetLayer = layerOf(target);
        if (!allowed.includes(targetLayer)) {
          violations.push(
            `${relative(SRC, file)} (${layer}) imports ${relative(SRC, target)} (${targetLayer})`,
          );
        }
      }
    }
    assert.deepEqual(violations, []);
  });

  it("the devnet's oracles verify with code of their own", () => {
    const violations: string[] = [];
    for (const file of files) {
      const path = relative(SRC, file);
      for (const [folder, layers] of Object.entries(FORBIDDEN)) {
        if (!path.startsWith(`${folder}/`)) continue;
        for (const target of relativeImports(file)) {
          if (layers.includes(layerOf(target))) violations.push(`${path} imports ${relative(SRC, target)}`);
        }
      }
    }
    assert.ok(files.some((f) => relative(SRC, f).startsWith("devnet/oracles/")));
    assert.deepEqual(violations, []);
  });

  it("every dynamic import names its module with a literal path (the rules above see what it loads)", () => {
    const computed = files.flatMap((file) =>
      moduleReferences(readFileSync(file, "utf8"), file).computed.map(
        (line) => `${relative(SRC, file)}:${line}`,
      ),
    );
    assert.deepEqual(computed, []);
  });

  it("has no barrel files (index.ts re-exporting a folder)", () => {
    assert.deepEqual(
      files.filter((f) => f.endsWith("/index.ts")).map((f) => relative(SRC, f)),
      [],
    );
  });
});
