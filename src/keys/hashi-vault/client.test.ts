import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { silentLogger } from "../../lib/logger.ts";
import { HashiVaultClient, vaultErrorText } from "./client.ts";

describe("HashiVaultClient", () => {
  it("sends the token and namespace as headers and encodes each path segment", async () => {
    const seen: { url: string; headers: Headers }[] = [];
    const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(url), headers: new Headers(init?.headers) });
      return new Response(JSON.stringify({ data: { keys: ["a"] } }), { status: 200 });
    }) as typeof globalThis.fetch;
    const client = new HashiVaultClient(
      { url: "https://vault:8200", token: "hvs.tok", namespace: "ns", timeoutMs: 1000 },
      { fetch, logger: silentLogger() },
    );
    const about = { subject: "x", notFoundHint: "", capability: "list" as const };
    assert.deepEqual(await client.list("secret/metadata/a b/c?d", about), ["a"]);
    assert.equal(seen[0]?.url, "https://vault:8200/v1/secret/metadata/a%20b/c%3Fd?list=true");
    assert.equal(seen[0]?.headers.get("x-vault-token"), "hvs.tok");
    assert.equal(seen[0]?.headers.get("x-vault-namespace"), "ns");
    assert.equal(client.displayUrl, "https://vault:8200");
  });

  it("turns Vault's errors array into one line", () => {
    assert.equal(
      vaultErrorText(["1 error occurred:\n\t* permission denied\n\n", "two"]),
      "1 error occurred: * permission denied; two",
    );
    assert.equal(vaultErrorText([]), "");
    assert.equal(vaultErrorText(undefined), "");
  });
});
