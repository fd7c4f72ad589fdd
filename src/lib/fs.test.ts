import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fsErrorReason } from "./fs.ts";

describe("fsErrorReason", () => {
  it("names the errno code and what it means", () => {
    assert.equal(
      fsErrorReason(Object.assign(new Error("x"), { code: "EXDEV" })),
      "EXDEV: crosses filesystems",
    );
    assert.equal(fsErrorReason(Object.assign(new Error("x"), { code: "EIO" })), "EIO: a filesystem error");
  });

  it("is undefined for an error that is not a filesystem error", () => {
    assert.equal(fsErrorReason(new Error("x")), undefined);
    assert.equal(fsErrorReason(undefined), undefined);
  });
});
