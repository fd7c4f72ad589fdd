import assert from "node:assert/strict";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { localKeystoresSettings } from "./settings.ts";

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
