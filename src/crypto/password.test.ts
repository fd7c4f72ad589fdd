import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generatePassword } from "./password.ts";

describe("generatePassword", () => {
  it("has 20 characters from the allowed alphabet", () => {
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      assert.equal(password.length, 20);
      assert.match(password, /^[A-Za-z0-9!@#$%^&*()_]{20}$/);
    }
  });

  it("has an upper-case letter, a lower-case letter, a digit and a special character", () => {
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      assert.match(password, /[A-Z]/);
      assert.match(password, /[a-z]/);
      assert.match(password, /[0-9]/);
      assert.match(password, /[!@#$%^&*()_]/);
    }
  });

  it("honours a custom length", () => {
    assert.equal(generatePassword(8).length, 8);
    assert.equal(generatePassword(64).length, 64);
  });

  it("gives 1000 distinct passwords", () => {
    const passwords = new Set(Array.from({ length: 1000 }, () => generatePassword()));
    assert.equal(passwords.size, 1000);
  });

  it("uses every character class of the alphabet over many passwords", () => {
    const seen = new Set(Array.from({ length: 200 }, () => generatePassword()).join(""));
    for (const c of "AZaz09!@#$%^&*()_") assert.ok(seen.has(c), `never saw ${c}`);
  });
});
