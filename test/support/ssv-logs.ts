/**
 * SSVNetwork logs as a node returns them, encoded with viem's own encodeEventTopics and
 * encodeAbiParameters from the ABI (not with our decoder's tables), for decoder tests and the
 * snapshot benchmark.
 */
import { type AbiEvent, encodeAbiParameters, encodeEventTopics, type Hex, numberToHex } from "viem";
import { ssvNetworkEthEraAbi } from "../../src/chain/abi/ssv-network.ts";
import type { RawLog } from "../../src/ssv/ssv-events.ts";

export interface LogPlace {
  blockNumber: bigint;
  transactionIndex: number;
  logIndex: number;
}

/** One log of `eventName` with `args` (every input, indexed or not, by name). */
export function ssvLog(eventName: string, args: Record<string, unknown>, at: LogPlace): RawLog {
  const event = ssvNetworkEthEraAbi.find((i) => i.type === "event" && i.name === eventName) as
    | AbiEvent
    | undefined;
  if (!event) throw new Error(`no event ${eventName}`);
  const indexedArgs = Object.fromEntries(
    event.inputs.filter((p) => p.indexed).map((p) => [p.name, args[p.name as string]]),
  );
  const topics = encodeEventTopics({ abi: [event], eventName, args: indexedArgs } as never) as Hex[];
  const dataInputs = event.inputs.filter((p) => !p.indexed);
  const data = encodeAbiParameters(
    dataInputs,
    dataInputs.map((p) => args[p.name as string]),
  );
  return {
    topics,
    // A flat copy: viem builds the text by concatenation, and 100,000 such ropes fill the heap.
    data: `0x${Buffer.from(data.slice(2), "hex").toString("hex")}`,
    blockNumber: numberToHex(at.blockNumber),
    transactionIndex: numberToHex(at.transactionIndex),
    logIndex: numberToHex(at.logIndex),
    removed: false,
  };
}
