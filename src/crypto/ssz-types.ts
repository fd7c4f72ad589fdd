import { ByteVectorType, ContainerType, UintNumberType } from "@chainsafe/ssz";

/** The consensus-spec containers the operator signs or hashes (phase0 / Capella). */
const Bytes4 = new ByteVectorType(4);
const Bytes32 = new ByteVectorType(32);
const Bytes48 = new ByteVectorType(48);
const Bytes96 = new ByteVectorType(96);
const Uint64 = new UintNumberType(8);

export const ForkData = new ContainerType({ currentVersion: Bytes4, genesisValidatorsRoot: Bytes32 });
export const SigningData = new ContainerType({ objectRoot: Bytes32, domain: Bytes32 });
export const DepositMessage = new ContainerType({
  pubkey: Bytes48,
  withdrawalCredentials: Bytes32,
  amount: Uint64,
});
export const DepositData = new ContainerType({
  pubkey: Bytes48,
  withdrawalCredentials: Bytes32,
  amount: Uint64,
  signature: Bytes96,
});
export const VoluntaryExit = new ContainerType({ epoch: Uint64, validatorIndex: Uint64 });
