import { run as createKeys } from "./create-keys.bench.ts";
import { run as devnetDemo } from "./devnet-demo.bench.ts";
import { run as dvtRecover } from "./dvt-recover.bench.ts";
import { run as exitShares } from "./exit-shares.bench.ts";
import { run as getValidatorsRoot } from "./get-validators-root.bench.ts";
import { run as keystoreIndex } from "./keystore-index.bench.ts";
import { run as logger } from "./logger.bench.ts";
import { run as planSlot } from "./plan-slot.bench.ts";
import { run as ssvKeyshares } from "./ssv-keyshares.bench.ts";
import { run as ssvSnapshots } from "./ssv-snapshots.bench.ts";
import { run as startScale } from "./start-scale.bench.ts";
import { run as validatorsTree } from "./validators-tree.bench.ts";

/**
 * `npm run bench`: every benchmark prints its figure beside the limit it is measured against.
 * Pass names to run a subset: `npm run bench -- tree root keys shares keystores demo logger plan ssv ssv-snapshots dvt`.
 */
const benches: Record<string, () => Promise<void>> = {
  tree: validatorsTree,
  root: getValidatorsRoot,
  keys: createKeys,
  shares: exitShares,
  keystores: keystoreIndex,
  start: startScale,
  demo: devnetDemo,
  logger,
  plan: planSlot,
  ssv: ssvKeyshares,
  "ssv-snapshots": ssvSnapshots,
  dvt: dvtRecover,
  "remote-db": async () => (await import("./remote-db.bench.ts")).run(),
};
const selected = process.argv.slice(2);
for (const [name, bench] of Object.entries(benches)) {
  if (selected.length === 0 || selected.includes(name)) await bench();
}
