import assert from "node:assert/strict";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { chooseKeySource } from "./key-source.ts";
import { localKeystoresSettings, parseStartSettings, type StartOptionValues } from "./settings.ts";

describe("localKeystoresSettings (start and validators-exit)", () => {
  it("defaults to the vault's keystores dir and its password.txt, without a password dir", () => {
    assert.deepEqual(localKeystoresSettings({}, "/data/0xabc/keystores", {}), {
      keystoresDir: "/data/0xabc/keystores",
      keystoresPasswordFile: "/data/0xabc/keystores/password.txt",
    });
  });

  it("expands ~ in --keystores-dir, --keystores-password-file and KEYSTORES_PASSWORD_DIR", () => {
    assert.deepEqual(
      localKeystoresSettings(
        { keystoresDir: "~/keys", keystoresPasswordFile: "~/secrets/password.txt" },
        "/data/0xabc/keystores",
        { KEYSTORES_PASSWORD_DIR: "~/passwords" },
      ),
      {
        keystoresDir: join(homedir(), "keys"),
        keystoresPasswordFile: join(homedir(), "secrets/password.txt"),
        keystoresPasswordDir: join(homedir(), "passwords"),
      },
    );
  });

  it("looks for password.txt in the given keystores dir", () => {
    const settings = localKeystoresSettings({ keystoresDir: "/keys" }, "/data/0xabc/keystores", {});
    assert.equal(settings.keystoresPasswordFile, "/keys/password.txt");
  });
});

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const BASE: StartOptionValues = {
  dataDir: "/data",
  executionEndpoints: ["http://127.0.0.1:8545"],
  consensusEndpoints: ["http://127.0.0.1:5052"],
  metricsPrefix: "sw_operator",
  metricsHost: "127.0.0.1",
  metricsPort: 9100,
  logLevel: "info",
  logFormat: "text",
};
const parse = (options: Partial<StartOptionValues>) => parseStartSettings({ ...BASE, ...options }, VAULT, {});

describe("parseStartSettings: the Python operator v4's wallet names", () => {
  it("takes --wallet-file / --wallet-password-file as --hot-wallet-file / --hot-wallet-password-file", () => {
    const settings = parse({ walletFile: "/w/wallet.json", walletPasswordFile: "~/w/password.txt" });
    assert.equal(settings.hotWalletFile, "/w/wallet.json");
    assert.equal(settings.hotWalletPasswordFile, join(homedir(), "w/password.txt"));
  });

  it("defaults to the vault dir's wallet when neither name is given", () => {
    const settings = parse({});
    assert.equal(settings.hotWalletFile, join("/data", VAULT, "wallet", "wallet.json"));
  });

  it("accepts both names for the same file, and refuses two different files in one line", () => {
    assert.equal(
      parse({ hotWalletFile: "/w/wallet.json", walletFile: "/w/../w/wallet.json" }).hotWalletFile,
      "/w/wallet.json",
    );
    assert.throws(
      () => parse({ hotWalletPasswordFile: "/a/password.txt", walletPasswordFile: "/b/password.txt" }),
      {
        name: "UserInputError",
        message:
          "--hot-wallet-password-file (HOT_WALLET_PASSWORD_FILE) is /a/password.txt but --wallet-password-file (WALLET_PASSWORD_FILE) is /b/password.txt: they name the same file, give one of them",
      },
    );
  });
});

describe("parseStartSettings: key source and v5 settings", () => {
  it("start picks the key source from the flags; start-* preselect theirs", () => {
    assert.equal(chooseKeySource(parse({}).keySource), "local-keystores");
    assert.equal(
      chooseKeySource(parse({ remoteSignerUrl: "http://signer:9000" }).keySource),
      "remote-signer",
    );
    const local = parse({ keySourceKind: "local-keystores", remoteSignerUrl: "http://signer:9000" });
    assert.equal(chooseKeySource(local.keySource), "local-keystores");
    assert.equal(
      parse({ keySourceKind: "remote-signer", remoteSignerUrl: "http://s:9000" }).keySource.only,
      "remote-signer",
    );
  });

  it("start-remote-signer and start-hashi-vault without their URL fail before anything starts", () => {
    assert.throws(
      () => parse({ keySourceKind: "remote-signer" }),
      /^UserInputError: missing --remote-signer-url: start-remote-signer needs it/,
    );
    assert.throws(
      () => parse({ keySourceKind: "hashi-vault" }),
      /^UserInputError: missing --hashi-vault-url: start-hashi-vault needs it/,
    );
  });

  it("--relayer-endpoint opens no key source and takes no remote signer; a non-URL is refused", () => {
    const settings = parse({ relayerEndpoint: " http://relayer:8000 " });
    assert.equal(settings.relayerEndpoint, "http://relayer:8000");
    assert.equal(parse({}).relayerEndpoint, undefined);
    assert.equal(settings.relayerTimeoutMs, 10_000);
    const env = { RELAYER_TIMEOUT: "30" };
    assert.equal(
      parseStartSettings({ ...BASE, relayerEndpoint: "http://r:8000" }, VAULT, env).relayerTimeoutMs,
      30_000,
    );
    assert.throws(
      () => parse({ relayerEndpoint: "http://relayer:8000", remoteSignerUrl: "http://s:9000" }),
      /^UserInputError: --relayer-endpoint takes the validators from the relayer, which holds their keys: drop --remote-signer-url/,
    );
    assert.throws(() => parse({ relayerEndpoint: "relayer:8000" }), /is not an http\(s\) URL/);
  });

  it("--relayer-protocol is v4 unless legacy is asked for, and legacy needs --relayer-endpoint", () => {
    assert.equal(parse({ relayerEndpoint: "http://relayer:8000" }).relayerProtocol, "v4");
    assert.equal(
      parse({ relayerEndpoint: "http://relayer:8000", relayerProtocol: "legacy" }).relayerProtocol,
      "legacy",
    );
    assert.throws(
      () => parse({ relayerProtocol: "legacy" }),
      /^UserInputError: --relayer-protocol legacy takes the exit signatures from a legacy DVT relayer: pass its --relayer-endpoint/,
    );
  });

  it("carries the v5 settings, parsed with their defaults", () => {
    const settings = parse({ validatorType: "0x01", minDepositDelay: 60 });
    assert.equal(settings.v5.validatorType, "0x01");
    assert.equal(settings.v5.validatorTypeExplicit, true);
    assert.equal(settings.v5.minDepositDelaySeconds, 60);
    assert.equal(settings.v5.maxWithdrawalRequestFeeGwei, 1000n);
  });
});

describe("parseStartSettings: --db-url", () => {
  it("keeps the state in operator.db unless --db-url (DB_URL) names PostgreSQL", () => {
    assert.equal(parse({}).dbUrl, undefined);
    const url = "postgresql://operator:pw@db:5432/vault";
    const settings = parse({ dbUrl: url });
    assert.equal(settings.dbUrl, url);
    assert.ok(settings.databaseFile.endsWith("operator.db"), "operator.db stays the default file, unused");
  });
});
