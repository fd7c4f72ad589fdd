/**
 * `operator devnet --dvt ssv` (issue 14 must-be-true 1) in both relayer generations: a cluster of
 * 4 SSV operators whose ids start at 100 (not 1..4), the shares registered on the devnet's SSV
 * contracts and read by the sidecars from ValidatorAdded events; three validators registered
 * through the relayer, and every exit signature the oracles reassemble verifies under the Capella
 * domain. The Obol cluster and the command's own checks are in devnet-dvt.test.ts.
 */
import { describeDevnetDvt } from "./devnet-dvt-scenario.ts";

describeDevnetDvt({ cluster: "ssv", protocol: "v4" });
describeDevnetDvt({ cluster: "ssv", protocol: "legacy" });
