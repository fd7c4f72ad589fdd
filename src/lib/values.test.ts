import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UserInputError } from "./errors.ts";
import {
  httpUrl,
  httpUrlList,
  InvalidValueError,
  invalidValueMessage,
  oneOf,
  parseEnvValue,
  parseValue,
  positiveNumber,
  wholeBigInt,
  wholeNumber,
} from "./values.ts";

const reason = (parse: (text: string) => unknown, text: string) => {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof InvalidValueError, String(error));
    return error.reason;
  }
  assert.fail(`${text} was accepted`);
};

describe("value parsers", () => {
  it("wholeNumber: digits only, within the range", () => {
    const port = wholeNumber("a port", 1, 65535);
    assert.equal(port(" 9100 "), 9100);
    for (const bad of ["0", "65536", "-1", "1.5", "abc", "", "1e3", "0x10"]) {
      assert.equal(reason(port, bad), "is not a port: use a whole number from 1 to 65535");
    }
    assert.equal(reason(wholeNumber("a count", 1), "0"), "is not a count: use a whole number of at least 1");
  });

  it("wholeBigInt: digits only, exact past 2^53, within the range", () => {
    const gwei = wholeBigInt("a balance", "a whole number of gwei from 32 to 2048", 32n, 2048n);
    assert.equal(gwei(" 32 "), 32n);
    assert.equal(gwei("2048"), 2048n);
    for (const bad of ["31", "2049", "-40", "40.5", "abc", "", "1e3", "0x40"]) {
      assert.equal(reason(gwei, bad), "is not a balance: use a whole number of gwei from 32 to 2048");
    }
    const unbounded = wholeBigInt("an amount", "a whole number", 0n);
    assert.equal(unbounded("123456789012345678901234567890"), 123456789012345678901234567890n);
  });

  it("positiveNumber: decimals above 0", () => {
    const gwei = positiveNumber("a max fee", "a positive number of gwei, e.g. 30");
    assert.equal(gwei("1.5"), 1.5);
    for (const bad of ["0", "-3", "abc", "NaN", "Infinity", ""]) {
      assert.equal(reason(gwei, bad), "is not a max fee: use a positive number of gwei, e.g. 30");
    }
  });

  it("oneOf: any case, the list in the reason", () => {
    const level = oneOf("a log level", ["debug", "info", "warn", "error"] as const);
    assert.equal(level(" INFO "), "info");
    assert.equal(reason(level, "verbose"), "is not a log level: use debug, info, warn or error");
  });

  it("httpUrl and httpUrlList", () => {
    assert.equal(httpUrl("http://signer:9000")("http://signer:9000/ "), "http://signer:9000");
    assert.equal(
      reason(httpUrl("http://signer:9000"), "signer:9000"),
      "is not an http(s) URL: use e.g. http://signer:9000",
    );
    const list = httpUrlList("http://localhost:8545");
    assert.deepEqual(list(" http://a:1, http://b:2/x ,"), ["http://a:1", "http://b:2/x"]);
    assert.equal(reason(list, " , "), "is empty: use comma-separated URLs, e.g. http://localhost:8545");
    assert.equal(
      reason(list, "http://a:1,ftp://user:pw@b/x"),
      "is not a list of http(s) URLs (ftp://***@b/*** is not one): use comma-separated URLs, e.g. http://localhost:8545",
    );
  });
});

describe("invalidValueMessage", () => {
  const why = "is not a port: use a whole number from 1 to 65535";

  it("names the flag and shows the value", () => {
    assert.equal(
      invalidValueMessage({ flag: "--metrics-port" }, "99999", why),
      `--metrics-port 99999 ${why}`,
    );
    assert.equal(invalidValueMessage({ flag: "--count" }, "", why), `--count "" ${why}`);
    assert.equal(invalidValueMessage({ flag: "--count" }, "1 2", why), `--count "1 2" ${why}`);
  });

  it("names the env var the value came from, and the flag it stands for", () => {
    assert.equal(
      invalidValueMessage({ flag: "--metrics-port", envVar: "METRICS_PORT" }, "99999", why),
      `METRICS_PORT="99999" (for --metrics-port) ${why}`,
    );
    assert.equal(
      invalidValueMessage({ envVar: "ORACLES_VALIDATORS_TIMEOUT" }, "abc", "is not a timeout"),
      'ORACLES_VALIDATORS_TIMEOUT="abc" is not a timeout',
    );
  });

  it("never shows a secret value, and masks URL credentials and long values", () => {
    const words = "legal winner thank year wave sausage worth useful legal winner thank yellow";
    assert.equal(
      invalidValueMessage({ flag: "--mnemonic", secret: true }, words, "has a typo"),
      "--mnemonic has a typo",
    );
    assert.equal(
      invalidValueMessage({ flag: "--mnemonic", envVar: "MNEMONIC", secret: true }, words, "has a typo"),
      "MNEMONIC (for --mnemonic) has a typo",
    );
    assert.equal(
      invalidValueMessage({ flag: "--rpc-url" }, "http://user:pw@host/key", "is bad"),
      "--rpc-url http://***@host/*** is bad",
    );
    assert.match(invalidValueMessage({ flag: "--x" }, "a".repeat(100), "is bad"), /^--x a{59}… is bad$/);
  });

  it("parseValue and parseEnvValue turn a refusal into a UserInputError naming the input", () => {
    const port = wholeNumber("a port", 1, 65535);
    assert.throws(() => parseValue(port, "0", { flag: "--metrics-port" }), {
      name: "UserInputError",
      message: "--metrics-port 0 is not a port: use a whole number from 1 to 65535",
    });
    assert.equal(parseEnvValue({}, "PORT", port, 7), 7);
    assert.equal(parseEnvValue({ PORT: " " }, "PORT", port, 7), 7);
    assert.equal(parseEnvValue({ PORT: "8" }, "PORT", port, 7), 8);
    assert.throws(
      () => parseEnvValue({ PORT: "x" }, "PORT", port, 7),
      (error: unknown) =>
        error instanceof UserInputError && error.message.startsWith('PORT="x" is not a port'),
    );
    // Other errors pass through.
    assert.throws(
      () =>
        parseValue(
          () => {
            throw new TypeError("bug");
          },
          "x",
          {},
        ),
      TypeError,
    );
  });
});
