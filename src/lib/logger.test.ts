import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryLogger } from "../../test/support/memory-logger.ts";
import { OperatorError } from "./errors.ts";
import { createLogger, type LogDestination, silentLogger } from "./logger.ts";

const T0 = Date.UTC(2025, 0, 31, 12, 0, 7, 123);
const KEY32 = `0x${"ab".repeat(32)}`;
const MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";

function buffer(): LogDestination & { lines: string[]; text(): string } {
  const chunks: string[] = [];
  return {
    write(chunk: string) {
      chunks.push(chunk);
    },
    get lines() {
      return chunks.join("").split("\n").filter(Boolean);
    },
    text: () => chunks.join(""),
  };
}

describe("createLogger (json)", () => {
  it("writes JSON lines with time, level label, module, msg and context (pino's layout, in its order)", () => {
    const out = buffer();
    const log = createLogger({ level: "info", format: "json", destination: out, now: () => T0 });
    log.child({ module: "registration" }).info("registered validators", { count: 3, vault: "0xabc" });
    assert.equal(out.lines.length, 1);
    assert.deepEqual(JSON.parse(out.lines[0] ?? ""), {
      level: "info",
      time: "2025-01-31T12:00:07.123Z",
      module: "registration",
      count: 3,
      vault: "0xabc",
      msg: "registered validators",
    });
    assert.equal(
      out.lines[0],
      '{"level":"info","time":"2025-01-31T12:00:07.123Z","module":"registration","count":3,"vault":"0xabc","msg":"registered validators"}',
    );
  });

  it("puts the error after the context and before msg; escapes what JSON must (a lone surrogate too)", () => {
    const out = buffer();
    const log = createLogger({ level: "info", format: "json", destination: out, now: () => T0 });
    log.warn('say "hi"\n', { note: "tab\there \ud800" }, new Error("boom"));
    assert.equal(
      out.lines[0],
      '{"level":"warn","time":"2025-01-31T12:00:07.123Z","note":"tab\\there \\ud800","error":{"name":"Error","message":"boom"},"msg":"say \\"hi\\"\\n"}',
    );
    assert.equal(JSON.parse(out.lines[0] ?? "").note, "tab\there \ud800");
  });

  it("filters by level", () => {
    const out = buffer();
    const log = createLogger({ level: "warn", format: "json", destination: out, now: () => T0 });
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    assert.deepEqual(
      out.lines.map((l) => JSON.parse(l).level),
      ["warn", "error"],
    );
    assert.equal(log.isLevelEnabled("info"), false);
    assert.equal(log.isLevelEnabled("error"), true);
  });

  it("logs nothing at level silent", () => {
    const out = buffer();
    const log = createLogger({ level: "silent", format: "json", destination: out });
    log.error("e");
    assert.equal(out.text(), "");
  });

  it("serializes errors without stacks above debug, with a sanitized message and one line per cause", () => {
    const out = buffer();
    const log = createLogger({ level: "info", format: "json", destination: out, now: () => T0 });
    const error = new OperatorError("call to https://u:p@rpc.io/v3/k failed", {
      retryable: true,
      cause: new TypeError("fetch failed"),
    });
    log.error("execution endpoint failed", { attempt: 2 }, error);
    const line = JSON.parse(out.lines[0] ?? "");
    assert.deepEqual(line.error, {
      name: "OperatorError",
      message: "call to https://***@rpc.io/*** failed",
      retryable: true,
      causes: ["TypeError: fetch failed"],
    });
    assert.equal(line.attempt, 2);
  });

  it("adds the stack at debug level", () => {
    const out = buffer();
    const log = createLogger({ level: "debug", format: "json", destination: out });
    log.warn("w", {}, new Error("boom"));
    assert.match(JSON.parse(out.lines[0] ?? "").error.stack, /Error: boom\n\s+at /);
  });

  it("renames context keys that clash with the line's own fields", () => {
    const out = buffer();
    const log = createLogger({ level: "info", format: "json", destination: out, now: () => T0 });
    log.info("m", { level: 5, time: "t", msg: "x", module: "y", error: "z" });
    const line = JSON.parse(out.lines[0] ?? "");
    assert.equal(line.level, "info");
    assert.equal(line.msg, "m");
    assert.deepEqual(
      [line.level_, line.time_, line.msg_, line.module_, line.error_],
      [5, "t", "x", "y", "z"],
    );
  });

  it("always sanitizes: secrets never reach the output", () => {
    const out = buffer();
    const log = createLogger({ level: "debug", format: "json", destination: out, redact: ["vaultPin"] });
    log.info("m", {
      password: "hunter2",
      privateKey: KEY32,
      words: MNEMONIC,
      url: "https://user:pass@x.io/v3/apikey123",
      vaultPin: "4321",
    });
    log.error("e", {}, new Error(`failed for ${MNEMONIC} at https://x.io/?token=zzz`));
    log.child({ token: "ttt" }).info("child");
    const text = out.text();
    for (const secret of ["hunter2", KEY32.slice(2), "legal", "pass@", "apikey123", "4321", "zzz", "ttt"]) {
      assert.ok(!text.includes(secret), `leaked ${secret}: ${text}`);
    }
  });

  it("keeps %s and other format characters in messages literally", () => {
    const out = buffer();
    createLogger({ level: "info", format: "json", destination: out }).info("100%s %d done");
    assert.equal(JSON.parse(out.lines[0] ?? "").msg, "100%s %d done");
  });

  it("serializes bigints as decimal strings", () => {
    const out = buffer();
    createLogger({ level: "info", format: "json", destination: out }).info("m", { wei: 10n ** 19n });
    assert.equal(JSON.parse(out.lines[0] ?? "").wei, "10000000000000000000");
  });

  it("never throws when the destination fails", () => {
    const log = createLogger({
      level: "info",
      format: "json",
      destination: {
        write() {
          throw new Error("EPIPE");
        },
      },
    });
    assert.doesNotThrow(() => log.info("m"));
  });
});

describe("createLogger (text)", () => {
  it("writes `YYYY-MM-DD HH:MM:SS LEVEL    [module] message key=value`", () => {
    const out = buffer();
    const log = createLogger({ level: "info", format: "text", destination: out, now: () => T0 });
    log.child({ module: "registration" }).warn("oracle lagging", {
      slot: 123,
      endpoint: "https://o.io",
      note: "two words",
      ok: true,
      ids: [1, 2],
      skip: undefined,
    });
    assert.equal(
      out.text(),
      '2025-01-31 12:00:07 WARN     [registration] oracle lagging slot=123 endpoint=https://o.io note="two words" ok=true ids=[1,2]\n',
    );
  });

  it("pads every level to the same width and omits the module when there is none", () => {
    const out = buffer();
    const log = createLogger({ level: "debug", format: "text", destination: out, now: () => T0 });
    log.debug("a");
    log.info("b");
    log.error("c");
    assert.deepEqual(out.lines, [
      "2025-01-31 12:00:07 DEBUG    a",
      "2025-01-31 12:00:07 INFO     b",
      "2025-01-31 12:00:07 ERROR    c",
    ]);
  });

  it("appends the error and, at debug level, its indented stack", () => {
    const out = buffer();
    const log = createLogger({ level: "info", format: "text", destination: out, now: () => T0 });
    const error = new OperatorError("beacon node unreachable", {
      retryable: true,
      cause: new TypeError("x"),
    });
    log.error("duty failed", { slot: 7 }, error);
    assert.equal(
      out.text(),
      '2025-01-31 12:00:07 ERROR    duty failed slot=7 error="OperatorError: beacon node unreachable" retryable=true causes=["TypeError: x"]\n',
    );
    const debugOut = buffer();
    createLogger({ level: "debug", format: "text", destination: debugOut }).error("x", {}, new Error("boom"));
    assert.match(debugOut.text(), /error="Error: boom"\n {4}Error: boom\n {8}at /);
  });

  it("keeps one entry on one line whatever the values contain", () => {
    const out = buffer();
    createLogger({ level: "info", format: "text", destination: out }).info("m", { body: 'a\nb "c" = d' });
    assert.equal(out.lines.length, 1);
    assert.match(out.text(), / body="a\\nb \\"c\\" = d"\n$/);
  });
});

describe("child", () => {
  it("adds bindings and nests modules", () => {
    const log = memoryLogger({ now: () => T0 });
    const child = log.child({ module: "operator", vault: "0x1" }).child({ module: "registration", n: 1 });
    child.info("m", { k: 2 });
    assert.deepEqual(log.entries, [
      {
        time: T0,
        level: "info",
        message: "m",
        module: "operator/registration",
        context: { vault: "0x1", n: 1, k: 2 },
      },
    ]);
  });

  it("tolerates an error passed as the context", () => {
    const log = memoryLogger();
    log.error("m", new Error("boom") as unknown as Record<string, unknown>);
    assert.equal(log.entries[0]?.error?.message, "boom");
    assert.deepEqual(log.entries[0]?.context, {});
  });
});

describe("throttled", () => {
  it("logs a repetitive warning once per interval and reports what it dropped", () => {
    let now = T0;
    const log = memoryLogger({ now: () => now });
    const warnEverySlot = (slot: number) =>
      log.throttled("beacon-down", 12_000).warn("beacon down", { slot });
    for (let slot = 0; slot < 25; slot++) {
      warnEverySlot(slot);
      now += 1000;
    }
    assert.deepEqual(
      log.entries.map((e) => e.context),
      [{ slot: 0 }, { slot: 12, suppressed: 11 }, { slot: 24, suppressed: 11 }],
    );
  });

  it("scopes keys per module and does not count disabled levels", () => {
    const log = memoryLogger({ level: "info", now: () => T0 });
    log.child({ module: "a" }).throttled("k", 1000).warn("a");
    log.child({ module: "b" }).throttled("k", 1000).warn("b");
    log.throttled("k", 1000).debug("dropped by level");
    log.throttled("k", 1000).warn("root");
    assert.deepEqual(log.lines(), ["warn a", "warn b", "warn root"]);
  });
});

describe("doubles", () => {
  it("memoryLogger records and clears", () => {
    const log = memoryLogger();
    log.warn("w", { password: "x" });
    log.info("i");
    assert.deepEqual(log.lines("warn"), ["warn w"]);
    assert.equal(log.entries[0]?.context.password, "[redacted]");
    log.clear();
    assert.equal(log.entries.length, 0);
  });

  it("silentLogger does nothing and chains", () => {
    const log = silentLogger();
    log.child({ module: "x" }).throttled("k", 1).error("e", {}, new Error("x"));
    assert.equal(log.isLevelEnabled("error"), false);
  });
});

describe("createLogger on a closed stdout", () => {
  it("drops the entry and reports the write error (EPIPE) to onWriteError, in both formats", () => {
    for (const format of ["text", "json"] as const) {
      const errors: unknown[] = [];
      const closed: LogDestination = {
        write() {
          throw Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
        },
      };
      const log = createLogger({
        level: "info",
        format,
        destination: closed,
        onWriteError: (e) => errors.push(e),
      });
      log.info("service started");
      log.warn("slot skipped");
      assert.deepEqual(
        errors.map((e) => (e as NodeJS.ErrnoException).code),
        ["EPIPE", "EPIPE"],
        format,
      );
    }
  });
});
