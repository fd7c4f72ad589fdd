import { createCipheriv } from "node:crypto";

/**
 * AES in EAX mode (Bellare, Rogaway, Wagner 2004) without its tag: the Python operator (v0.2.7 –
 * v3.x, PyCryptodome `AES.MODE_EAX`) stores only the ciphertext and the nonce of each key and
 * never checks the tag, so encryption and decryption are the same operation: CTR mode whose
 * initial counter block is N' = OMAC⁰_K(nonce), OMAC being CMAC over the tweak block [t]₁₆ ‖ data.
 *
 * Built on node:crypto's AES-ECB. For the 16-byte nonces the database uses, OMAC⁰ is two
 * complete CMAC blocks: N' = E_K(E_K(0¹²⁸) ⊕ K1 ⊕ nonce), so a whole batch of rows costs three
 * AES block encryptions per 32-byte key, done in two ECB calls.
 */

export const AES_BLOCK = 16;
/** The nonce length the remote database stores (0x + 32 hex). */
export const EAX_NONCE_LENGTH = 16;

type BlockEncrypt = (blocks: Uint8Array) => Uint8Array;

function ecbEncryptor(key: Uint8Array): BlockEncrypt {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new RangeError(`AES keys are 16, 24 or 32 bytes, got ${key.length}`);
  }
  const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
  cipher.setAutoPadding(false);
  // ECB keeps no state between calls fed whole blocks: one cipher object serves every batch.
  return (blocks) => {
    if (blocks.length % AES_BLOCK !== 0) throw new RangeError("ECB input must be whole AES blocks");
    return cipher.update(blocks);
  };
}

/** Multiplication by x in GF(2¹²⁸) with the CMAC polynomial (the subkey "doubling"). */
function double(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(AES_BLOCK);
  for (let i = 0; i < AES_BLOCK; i++) {
    out[i] = (((block[i] as number) << 1) | ((block[i + 1] ?? 0) >>> 7)) & 0xff;
  }
  if (((block[0] as number) & 0x80) !== 0) out[AES_BLOCK - 1] = (out[AES_BLOCK - 1] as number) ^ 0x87;
  return out;
}

function cmacSubkeys(encrypt: BlockEncrypt): { l: Uint8Array; k1: Uint8Array; k2: Uint8Array } {
  const l = encrypt(new Uint8Array(AES_BLOCK));
  const k1 = double(l);
  return { l, k1, k2: double(k1) };
}

/**
 * OMAC^t_K(data) = CMAC_K([t]₁₆ ‖ data), the EAX building block for any data length. Used for
 * nonces of other lengths and by the tag check of the tests; the batch path below inlines it.
 */
export function omac(key: Uint8Array, tweak: number, data: Uint8Array): Uint8Array {
  const encrypt = ecbEncryptor(key);
  const { k1, k2 } = cmacSubkeys(encrypt);
  const message = new Uint8Array(AES_BLOCK + data.length);
  message[AES_BLOCK - 1] = tweak;
  message.set(data, AES_BLOCK);
  const complete = message.length % AES_BLOCK === 0;
  const padded = complete
    ? message
    : new Uint8Array(message.length + AES_BLOCK - (message.length % AES_BLOCK));
  if (!complete) {
    padded.set(message);
    padded[message.length] = 0x80;
  }
  const last = padded.length - AES_BLOCK;
  const subkey = complete ? k1 : k2;
  for (let i = 0; i < AES_BLOCK; i++) padded[last + i] = (padded[last + i] as number) ^ (subkey[i] as number);
  let state: Uint8Array = new Uint8Array(AES_BLOCK);
  for (let offset = 0; offset < padded.length; offset += AES_BLOCK) {
    const block = new Uint8Array(AES_BLOCK);
    for (let i = 0; i < AES_BLOCK; i++) block[i] = (state[i] as number) ^ (padded[offset + i] as number);
    state = encrypt(block);
  }
  return state;
}

/** Adds `n` to a 128-bit big-endian counter block in place (wrapping like OpenSSL's CTR mode). */
function addToCounter(block: Uint8Array, offset: number, n: number): void {
  let carry = n;
  for (let i = AES_BLOCK - 1; i >= 0 && carry > 0; i--) {
    const sum = (block[offset + i] as number) + (carry & 0xff);
    block[offset + i] = sum & 0xff;
    carry = (carry >>> 8) + (sum >>> 8);
  }
}

/** EAX without the tag for many items at once, all under one key. */
export interface EaxCipher {
  /**
   * Encrypts (or, identically, decrypts) `count` items of `itemLength` bytes each, packed in
   * `data`, the i-th under the 16-byte nonce packed at `nonces[16·i …]`. Returns a new buffer.
   */
  crypt(nonces: Uint8Array, data: Uint8Array, itemLength: number): Uint8Array;
}

export function createEaxCipher(key: Uint8Array): EaxCipher {
  const encrypt = ecbEncryptor(key);
  const { l, k1 } = cmacSubkeys(encrypt);
  // CMAC of [0]₁₆ ‖ nonce: the first block's state is E_K(0) = L, the last block is masked by K1.
  const mask = new Uint8Array(AES_BLOCK);
  for (let i = 0; i < AES_BLOCK; i++) mask[i] = (l[i] as number) ^ (k1[i] as number);
  return {
    crypt(nonces, data, itemLength) {
      if (!Number.isInteger(itemLength) || itemLength < 1)
        throw new RangeError("item length must be positive");
      const count = data.length / itemLength;
      if (!Number.isInteger(count) || nonces.length !== count * EAX_NONCE_LENGTH) {
        throw new RangeError(
          `${data.length} bytes of ${itemLength}-byte items need ${EAX_NONCE_LENGTH} nonce bytes each`,
        );
      }
      const masked = new Uint8Array(nonces.length);
      for (let i = 0; i < nonces.length; i++) {
        masked[i] = (nonces[i] as number) ^ (mask[i % AES_BLOCK] as number);
      }
      const initialCounters = encrypt(masked);
      const blocksPerItem = Math.ceil(itemLength / AES_BLOCK);
      const counters = new Uint8Array(count * blocksPerItem * AES_BLOCK);
      for (let item = 0; item < count; item++) {
        const initial = initialCounters.subarray(item * AES_BLOCK, (item + 1) * AES_BLOCK);
        for (let b = 0; b < blocksPerItem; b++) {
          const offset = (item * blocksPerItem + b) * AES_BLOCK;
          counters.set(initial, offset);
          addToCounter(counters, offset, b);
        }
      }
      const keystream = encrypt(counters);
      const out = new Uint8Array(data.length);
      const stride = blocksPerItem * AES_BLOCK;
      for (let item = 0; item < count; item++) {
        const from = item * itemLength;
        const stream = item * stride;
        for (let i = 0; i < itemLength; i++) {
          out[from + i] = (data[from + i] as number) ^ (keystream[stream + i] as number);
        }
      }
      keystream.fill(0);
      return out;
    },
  };
}
