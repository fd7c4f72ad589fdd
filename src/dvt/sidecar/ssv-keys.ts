import type { KeyObject } from "node:crypto";
import { toPrefixedHex } from "../../lib/hex.ts";
import { decryptOperatorShare } from "../../ssv/keyshares/share-decrypt.ts";
import type { ShareKey } from "./share-keys.ts";
import type { SsvValidatorRow } from "./sidecar-db.ts";

/** The operator's key share of one SSV validator (share index = operator id), decrypted and checked. */
export function ssvShareKey(row: SsvValidatorRow, operatorId: bigint, privateKey: KeyObject): ShareKey {
  const share = decryptOperatorShare({
    sharesData: Buffer.from(row.sharesData.slice(2), "hex"),
    operatorIds: row.operatorIds,
    operatorId,
    privateKey,
  });
  return {
    publicKey: row.publicKey.toLowerCase() as `0x${string}`,
    secretKey: share.secretKey,
    publicKeyShare: toPrefixedHex(share.publicKey),
    publicKeyShares: share.sharePublicKeys.map((s) => ({
      shareIndex: Number(s.operatorId),
      publicKeyShare: toPrefixedHex(s.publicKey),
    })),
  };
}
