/** Wei in one gwei. */
export const WEI_PER_GWEI = 1_000_000_000n;

/** The smaller of two amounts (Math.min does not take bigints). */
export function minGwei(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Wei as gwei for messages, without trailing zeros: 1_500_000_000n → "1.5". */
export function formatWeiAsGwei(wei: bigint): string {
  const whole = wei / WEI_PER_GWEI;
  const fraction = (wei % WEI_PER_GWEI).toString().padStart(9, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}
