import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { openDiskIpfsStore } from "./disk-store.ts";

const text = (s: string) => new TextEncoder().encode(s);

describe("disk IPFS store", () => {
  it("serves after a reopen what was put before, and skips files that do not match their CID", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ipfs-disk-"));
    try {
      const first = await openDiskIpfsStore(dir);
      assert.equal(first.loaded, 0);
      const cid = await first.store.put(text("config"));
      await first.store.put(text("config"));
      assert.deepEqual(await readdir(dir), [cid], "one file per block, written once");
      // A file whose bytes do not hash to its name (edited, or a wrong name) is not served.
      await writeFile(join(dir, "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"), "not hello");
      await writeFile(join(dir, `.${cid}.abc.tmp`), "torn");
      const second = await openDiskIpfsStore(dir);
      assert.equal(second.loaded, 1);
      assert.deepEqual(second.store.get(cid), text("config"));
      assert.equal(second.store.has("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
