import type { NetworkConfig } from "../../src/config/networks.ts";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { buildDepositDatum } from "../../src/keys/deposit-datum.ts";
import { parseHex } from "../../src/lib/hex.ts";

const seed = mnemonicToSeed("legal winner thank year wave sausage worth useful legal winner thank yellow");

const le64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return `0x${b.toString("hex")}` as const;
};

/** A DepositEvent log (as viem decodes it) of test-mnemonic key `index` at `block`; `valid: false` breaks its signature. */
export function depositLog(network: NetworkConfig, index: number, block: bigint, valid = true) {
  const key = deriveValidatorKey(seed, index);
  const datum = buildDepositDatum({
    secretKey: key.secretKey,
    publicKey: key.publicKey,
    withdrawalCredentials: new Uint8Array(32),
    amountGwei: network.validatorDepositGwei,
    genesisForkVersion: parseHex(network.genesisForkVersion, 4) as Uint8Array,
    networkName: network.name,
  });
  const signature = valid
    ? `0x${datum.signature}`
    : `0x${deriveValidatorKey(seed, index + 100)
        .secretKey.sign(new Uint8Array(32))
        .toHex()
        .replace(/^0x/, "")}`;
  return {
    args: {
      pubkey: `0x${datum.pubkey}`,
      withdrawal_credentials: `0x${datum.withdrawal_credentials}`,
      amount: le64(BigInt(datum.amount)),
      signature,
      index: le64(BigInt(index)),
    },
    blockNumber: block,
    transactionHash: `0x${"11".repeat(32)}`,
    logIndex: 0,
  };
}

export type DepositLogFixture = ReturnType<typeof depositLog>;

/** A getLogs double over `logs` that records each range it is asked for. */
export function depositLogsClient(logs: readonly DepositLogFixture[], asked: Array<[bigint, bigint]> = []) {
  return {
    getLogs: async ({ fromBlock, toBlock }: { fromBlock: bigint; toBlock: bigint }) => {
      asked.push([fromBlock, toBlock]);
      return logs.filter((l) => l.blockNumber >= fromBlock && l.blockNumber <= toBlock);
    },
  };
}
