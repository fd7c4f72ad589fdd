import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UserInputError } from "../../lib/errors.ts";
import { resolveHashiVaultOptions } from "./options.ts";

const base = { url: "https://vault:8200/", token: "hvs.abc", keyPaths: ["/a/b/"], keyPrefixes: [] };

describe("resolveHashiVaultOptions", () => {
  it("fills the defaults and trims paths and the URL", () => {
    assert.deepEqual(resolveHashiVaultOptions(base), {
      url: "https://vault:8200",
      token: "hvs.abc",
      keyPaths: ["a/b"],
      keyPrefixes: [],
      engineName: "secret",
      engineVersion: "auto",
      namespace: undefined,
      parallelism: 8,
      timeoutMs: 10_000,
    });
    assert.equal(
      resolveHashiVaultOptions({ ...base, url: "https://proxy/vault/?x=1" }).url,
      "https://proxy/vault",
    );
  });

  it("names the flag to fix, never the token", () => {
    const cases: [Partial<typeof base> & Record<string, unknown>, RegExp][] = [
      [{ url: "vault:8200:x" }, /--hashi-vault-url/],
      [{ url: "ftp://vault" }, /http:\/\/ or https:\/\//],
      [{ token: " " }, /--hashi-vault-token is empty/],
      [{ token: "secret token" }, /--hashi-vault-token contains spaces/],
      [{ keyPaths: [" / "] }, /missing --hashi-vault-key-path/],
      [{ parallelism: 0 }, /--hashi-vault-parallelism/],
      [{ engineName: "/" }, /--hashi-vault-engine-name is empty/],
      [{ namespace: "a b" }, /--hashi-vault-namespace/],
    ];
    for (const [override, message] of cases) {
      assert.throws(
        () => resolveHashiVaultOptions({ ...base, ...override }),
        (error: unknown) =>
          error instanceof UserInputError &&
          message.test(error.message) &&
          !error.message.includes("secret token"),
      );
    }
  });

  it("reads a key path or prefix given twice once, after trimming", () => {
    const resolved = resolveHashiVaultOptions({
      ...base,
      keyPaths: ["a/b", "/a/b/", " c ", "a/b"],
      keyPrefixes: ["p", "p/", "/q", "p"],
    });
    assert.deepEqual(resolved.keyPaths, ["a/b", "c"]);
    assert.deepEqual(resolved.keyPrefixes, ["p", "q"]);
  });
});
