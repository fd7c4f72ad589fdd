/**
 * The devnet's IPFS store kept on disk, one file per block named by its CID, so that a restarted
 * `operator devnet --rpc-url` still serves the config, exit signatures and rewards files that the
 * chain points at.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../lib/atomic-file.ts";
import { makeDirs } from "../../lib/fs.ts";
import { rawCid } from "./cid.ts";
import { createIpfsStore, type IpfsStore } from "./store.ts";

export interface DiskIpfsStore {
  store: IpfsStore;
  /** Blocks read back from `dir` at open. */
  loaded: number;
}

/** Opens (creating) the store in `dir`; files whose bytes do not hash to their name are skipped. */
export async function openDiskIpfsStore(dir: string): Promise<DiskIpfsStore> {
  await makeDirs(dir, { mode: 0o700 });
  const blocks: Array<[string, Uint8Array]> = [];
  for (const name of await readdir(dir)) {
    // Temp files of an interrupted write start with a dot; a torn file cannot match its CID.
    if (name.startsWith(".")) continue;
    const bytes = new Uint8Array(await readFile(join(dir, name)));
    if ((await rawCid(bytes)) === name) blocks.push([name, bytes]);
  }
  const store = createIpfsStore({
    blocks,
    persist: (cid, bytes) => writeFileAtomic(join(dir, cid), bytes),
  });
  return { store, loaded: blocks.length };
}
