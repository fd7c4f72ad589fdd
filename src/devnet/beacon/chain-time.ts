/** Wall-clock time in milliseconds since the Unix epoch (`Date` satisfies it). */
export interface SimClock {
  now(): number;
}

export interface ChainTimeParameters {
  /** Unix seconds of slot 0. */
  genesisTime: number;
  /** May be fractional on a devnet. */
  secondsPerSlot: number;
  slotsPerEpoch: number;
  clock: SimClock;
}

export interface ChainTime {
  /** The slot the clock is in; 0 before genesis. */
  currentSlot(): number;
  epochAtSlot(slot: number): number;
  /** First slot of `epoch`. */
  startSlot(epoch: number): number;
  /** First epoch that starts at or after `slot` (activation and exit epochs round up to it). */
  epochAtOrAfter(slot: number): number;
}

/** Slot and epoch arithmetic over an injected clock. */
export function createChainTime(params: ChainTimeParameters): ChainTime {
  const slotMs = params.secondsPerSlot * 1000;
  const { slotsPerEpoch } = params;
  return {
    currentSlot() {
      const sinceGenesis = params.clock.now() - params.genesisTime * 1000;
      return sinceGenesis <= 0 ? 0 : Math.floor(sinceGenesis / slotMs);
    },
    epochAtSlot: (slot) => Math.floor(slot / slotsPerEpoch),
    startSlot: (epoch) => epoch * slotsPerEpoch,
    epochAtOrAfter: (slot) => Math.ceil(slot / slotsPerEpoch),
  };
}
