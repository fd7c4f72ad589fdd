import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceReexecArgs } from "./service-heap.ts";

const flags = ["--max-semi-space-size=4"];
const base = { execArgv: [] as string[], flags, env: {} };

describe("serviceReexecArgs", () => {
  it("re-executes start with the service flags before the script and its arguments", () => {
    assert.deepEqual(
      serviceReexecArgs({ ...base, argv: ["/node", "/op/bin/operator.js", "start", "--vault", "0x1"] }),
      ["/node", "--max-semi-space-size=4", "/op/bin/operator.js", "start", "--vault", "0x1"],
    );
  });

  it("keeps the node flags it was started with", () => {
    assert.deepEqual(
      serviceReexecArgs({ ...base, execArgv: ["--enable-source-maps"], argv: ["/node", "/op.ts", "start"] }),
      ["/node", "--max-semi-space-size=4", "--enable-source-maps", "/op.ts", "start"],
    );
  });

  it("does nothing once the flags are there (after the re-exec, or given by the user)", () => {
    assert.equal(
      serviceReexecArgs({
        ...base,
        execArgv: ["--max-semi-space-size=16"],
        argv: ["/node", "/op.ts", "start"],
      }),
      undefined,
    );
  });

  it("does nothing for other commands or with OPERATOR_NODE_FLAGS=keep", () => {
    assert.equal(serviceReexecArgs({ ...base, argv: ["/node", "/op.ts", "create-keys"] }), undefined);
    assert.equal(serviceReexecArgs({ ...base, argv: ["/node", "/op.ts"] }), undefined);
    assert.equal(
      serviceReexecArgs({
        ...base,
        env: { OPERATOR_NODE_FLAGS: "keep" },
        argv: ["/node", "/op.ts", "start"],
      }),
      undefined,
    );
  });
});
