import { resolve } from "node:path";
import type { Hex } from "viem";
import { expandHome } from "../../config/data-dir.ts";
import { writeFileAtomic } from "../../lib/atomic-file.ts";
import { UserInputError } from "../../lib/errors.ts";
import { parseHex } from "../../lib/hex.ts";
import { clusterKey } from "../../ssv/cluster.ts";
import type { SsvEnvironment } from "../../ssv/environment.ts";
import {
  formatKeysharesJson,
  type KeysharesItem,
  keysharesItem,
} from "../../ssv/keyshares/keyshares-file.ts";
import { buildSharesDataBatch } from "../../ssv/keyshares/shares-data.ts";
import { selectRegistrationCluster } from "../../ssv/registration/prepare.ts";
import type { ValidatorAddedEvent } from "../../ssv/ssv-event-types.ts";
import { ssvOwnerEventChunks } from "../../ssv/ssv-events.ts";
import type { CommandContext } from "../context.ts";
import type { SsvEnvironmentOptionValues } from "./environment-options.ts";
import type { SsvRegisterOptionValues } from "./register-options.ts";
import { selectionOptions } from "./selection-options.ts";
import { openSsvSession, type SsvOwnerReading } from "./session.ts";

export interface ExportKeysharesOptions extends SsvEnvironmentOptionValues, SsvRegisterOptionValues {
  output: string;
  publicKeys?: Hex[];
  verbose?: boolean;
}

/**
 * `operator ssv export-keyshares`: keyshares.json (ssv-keys' format, mode 0600, written
 * atomically). A validator on SSV gets the exact sharesData and nonce of its ValidatorAdded event;
 * any other key of --public-keys is built fresh for the cluster the selection would take, with
 * the owner's next nonces in the order given.
 */
export async function runExportKeyshares(
  options: ExportKeysharesOptions,
  ctx: CommandContext,
): Promise<void> {
  const output = resolve(expandHome(options.output));
  const { env, reading } = await openSsvSession(ctx, options, {
    mode: "read",
    pinned: options.operatorIds ?? [],
  });
  try {
    const added = await latestValidatorAdded(env, reading.head);
    const registered = new Set(reading.state.clusters().flatMap((c) => [...c.validators]));
    const wanted = (options.publicKeys ?? [...registered]).map((k) => k.toLowerCase() as Hex);
    if (wanted.length === 0) {
      throw new UserInputError(
        `the owner ${env.owner} has no validators on SSV: pass --public-keys to export keyshares for keys not registered yet`,
      );
    }
    const local = new Set(env.keystores.publicKeys().map((k) => k.toLowerCase()));
    const fresh = wanted.filter((k) => !registered.has(k));
    for (const key of fresh) {
      if (!local.has(key)) {
        throw new UserInputError(
          `--public-keys: ${key.slice(0, 14)}… is neither on SSV nor in the local keystores: its shares cannot be built`,
        );
      }
    }
    const operatorIds = [...new Set(reading.state.clusters().flatMap((c) => c.operatorIds))];
    const { keys: operatorKeys } = await reading.reader.operatorKeys(operatorIds, reading.head);
    const items = new Map<string, KeysharesItem>();
    for (const key of wanted.filter((k) => registered.has(k))) {
      const event = added.get(key);
      if (!event)
        throw new UserInputError(`no ValidatorAdded event of ${key.slice(0, 14)}… for ${env.owner}`);
      items.set(key, eventItem(env, event, operatorKeys));
    }
    if (fresh.length > 0)
      for (const [key, item] of await freshItems(env, reading, fresh, options)) items.set(key, item);
    await writeFileAtomic(output, formatKeysharesJson(wanted.map((k) => items.get(k) as KeysharesItem)), {
      mode: 0o600,
    });
    ctx.output.line(
      `Keyshares of ${wanted.length} ${wanted.length === 1 ? "validator" : "validators"} written to ${output} (${wanted.length - fresh.length} from the chain, ${fresh.length} built for the next nonces)`,
    );
  } finally {
    await env.close();
  }
}

/** Each validator's last ValidatorAdded of the owner, with the nonce it was registered with. */
async function latestValidatorAdded(
  env: SsvEnvironment,
  head: bigint,
): Promise<Map<string, ValidatorAddedEvent & { nonce: number }>> {
  const found = new Map<string, ValidatorAddedEvent & { nonce: number }>();
  let nonce = 0;
  for await (const chunk of ssvOwnerEventChunks({
    client: env.execution,
    ssvNetwork: env.ssv.network,
    owner: env.owner,
    fromBlock: BigInt(env.ssv.deployBlock),
    toBlock: head,
  })) {
    for (const event of chunk.events) {
      if (event.name !== "ValidatorAdded") continue;
      found.set(event.publicKey.toLowerCase(), { ...event, nonce });
      nonce += 1;
    }
  }
  return found;
}

function eventItem(
  env: SsvEnvironment,
  event: ValidatorAddedEvent & { nonce: number },
  operatorKeys: ReadonlyMap<bigint, string>,
): KeysharesItem {
  const keys = event.operatorIds.map((id) => {
    const key = operatorKeys.get(id);
    if (!key) throw new UserInputError(`SSV operator ${id} has no OperatorAdded event: its key is unknown`);
    return key;
  });
  return keysharesItem(
    {
      publicKey: parseHex(event.publicKey, 48) as Uint8Array,
      operatorIds: event.operatorIds,
      sharesData: parseHex(event.shares) as Uint8Array,
    },
    env.owner,
    event.nonce,
    keys,
  );
}

/** Shares for keys not on SSV: the cluster the selection takes, the owner's next nonces. */
async function freshItems(
  env: SsvEnvironment,
  reading: SsvOwnerReading,
  keys: readonly Hex[],
  options: ExportKeysharesOptions,
): Promise<Map<string, KeysharesItem>> {
  const selection = selectRegistrationCluster({
    candidates: reading.candidates,
    state: reading.state,
    params: reading.params,
    selection: selectionOptions(options, env.network.secondsPerSlot),
    newValidators: keys.length,
  });
  const operators = selection.operators.map((o) => ({ id: o.id, publicKey: o.publicKey ?? "" }));
  const secretKeys = await Promise.all(keys.map((key) => env.keystores.getSecretKey(key)));
  const built = buildSharesDataBatch({ secretKeys, operators, owner: env.owner, nonce: reading.state.nonce });
  env.log.debug("keyshares built for the next nonces", { cluster: clusterKey(selection.operatorIds) });
  return new Map(
    built.map((b, i) => [
      keys[i] as string,
      keysharesItem(
        b,
        env.owner,
        reading.state.nonce + i,
        operators.map((o) => o.publicKey),
      ),
    ]),
  );
}
