import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bearerJwtProblem } from "../../test/support/jwt-auth.ts";
import { InvalidValueError } from "../lib/values.ts";
import { executionJwt, hs256Signature, jwtSecretValue } from "./execution-jwt.ts";

describe("execution endpoint JWT", () => {
  it("signs HS256 as RFC 7515 appendix A.1 does", () => {
    const signingInput =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    const key = Buffer.from(
      "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
      "base64url",
    );
    assert.equal(hs256Signature(signingInput, key), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  });

  it("makes a token with the Python operator's claims that a node's check accepts while it is fresh", () => {
    const secret = jwtSecretValue(`0x${"ab".repeat(32)}`);
    const token = executionJwt(secret, 1_700_000_000);
    const [header, payload] = token.split(".") as [string, string];
    assert.deepEqual(JSON.parse(Buffer.from(header, "base64url").toString()), { alg: "HS256", typ: "JWT" });
    assert.deepEqual(JSON.parse(Buffer.from(payload, "base64url").toString()), {
      iat: 1_700_000_000,
      nbf: 1_700_000_000,
      exp: 1_700_000_000 + 8760 * 3600,
    });
    const headers = { authorization: `Bearer ${token}` };
    assert.equal(bearerJwtProblem(headers, secret, 1_700_000_030), undefined);
    assert.equal(bearerJwtProblem(headers, secret, 1_700_000_100), "stale token");
    assert.equal(
      bearerJwtProblem(headers, jwtSecretValue("cd".repeat(32)), 1_700_000_000),
      "signature invalid",
    );
  });

  it("reads the secret as a jwt.hex file holds it; anything else is refused", () => {
    assert.deepEqual(jwtSecretValue(` 0x${"0f".repeat(32)}\n`), new Uint8Array(32).fill(15));
    assert.deepEqual(jwtSecretValue("0F".repeat(32)), new Uint8Array(32).fill(15));
    for (const bad of ["", "0x", "abc", "zz".repeat(32)]) {
      assert.throws(() => jwtSecretValue(bad), InvalidValueError);
    }
  });
});
