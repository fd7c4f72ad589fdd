const DECIMAL_ETHER = /^(-?)(\d+)(?:\.(\d{1,18}))?$/;

/**
 * A decimal amount of ether (or of any 18-decimal token) in wei, exactly: "1.5" is
 * 1500000000000000000n, "-0.1" is -100000000000000000n. The callers check the text and refuse it
 * in their own words first; anything else here is a bug (a RangeError). Used by option parsers in
 * place of viem's parseEther, which would load viem for a usage error.
 */
export function etherToWei(text: string): bigint {
  const match = DECIMAL_ETHER.exec(text);
  if (!match) throw new RangeError(`not a decimal amount with at most 18 decimals: ${text}`);
  const [, sign, whole, fraction = ""] = match;
  const wei = BigInt(whole as string) * 10n ** 18n + BigInt(fraction.padEnd(18, "0"));
  return sign === "-" ? -wei : wei;
}
