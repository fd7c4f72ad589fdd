import { formatEther } from "viem";
import { OperatorError } from "../../lib/errors.ts";
import { eraToken } from "../../ssv/registration/plan.ts";
import { blocksPerDayOf, selectRegistrationCluster } from "../../ssv/registration/prepare.ts";
import type { OperatorCandidate, Selection } from "../../ssv/selection.ts";
import type { CommandContext } from "../context.ts";
import type { SsvEnvironmentOptionValues } from "./environment-options.ts";
import type { SsvRegisterOptionValues } from "./register-options.ts";
import { selectionOptions } from "./selection-options.ts";
import { openSsvSession } from "./session.ts";

export interface OperatorsOptions extends SsvEnvironmentOptionValues, SsvRegisterOptionValues {
  json: boolean;
  verbose?: boolean;
}

/**
 * `operator ssv operators`: the candidates with their data and the selection's verdict on each
 * (taken and why, or the reason it is not), as text or JSON. Read-only.
 */
export async function runSsvOperators(options: OperatorsOptions, ctx: CommandContext): Promise<void> {
  const { env, reading } = await openSsvSession(ctx, options, {
    mode: "read",
    pinned: options.operatorIds ?? [],
  });
  try {
    const { reader, candidates } = reading;
    const blocksPerYear = BigInt(blocksPerDayOf(env.network.secondsPerSlot) * 365);
    let selection: Selection | undefined;
    let refusal: string | undefined;
    try {
      selection = selectRegistrationCluster({
        candidates,
        state: reading.state,
        params: reading.params,
        selection: selectionOptions(options, env.network.secondsPerSlot),
        newValidators: 1,
      });
    } catch (error) {
      if (!(error instanceof OperatorError)) throw error;
      refusal = error.message;
    }
    const verdict = verdicts(candidates, selection);
    const token = eraToken(reader.era);
    if (options.json) {
      const json = {
        era: reader.era,
        apiAvailable: reading.api !== undefined,
        operators: candidates.map((c) => ({
          id: c.id.toString(),
          feePerBlock: c.fee.toString(),
          feePerYear: formatEther(c.fee * blocksPerYear),
          performance30d: c.performance30d ?? null,
          status: c.status ?? null,
          isActive: c.isActive,
          isPrivate: c.isPrivate,
          removed: c.removed,
          validators: c.validatorCount,
          provider: c.setupProvider ?? null,
          ...verdict.get(c.id),
        })),
        selection: selection
          ? {
              operatorIds: selection.operatorIds.map(String),
              reused: selection.reused,
              explanation: selection.explanation,
            }
          : { refused: refusal },
      };
      ctx.output.line(JSON.stringify(json, null, 2));
      return;
    }
    ctx.output.line(
      `SSV operators (${reader.era} era, fees per year in ${token}; SSV API ${reading.api ? "answered" : "not used: chain data only"}):`,
    );
    ctx.output.line(
      pad(["id", `fee/year ${token}`, "perf 30d", "status", "validators", "provider", "selection"]),
    );
    for (const c of candidates) {
      const v = verdict.get(c.id);
      ctx.output.line(
        pad([
          c.id.toString(),
          formatEther(c.fee * blocksPerYear),
          c.performance30d === undefined ? "-" : `${c.performance30d}%`,
          c.status ?? (c.removed ? "removed" : c.isActive ? "active" : "inactive"),
          String(c.validatorCount),
          c.setupProvider ?? "-",
          v?.selected ? "taken" : `not taken: ${v?.reason ?? "-"}`,
        ]),
      );
    }
    if (selection) {
      ctx.output.line(`Selection: cluster ${selection.operatorIds.join(",")}`);
      for (const line of selection.explanation) ctx.output.line(`  ${line}`);
    } else ctx.output.line(`Selection: none: ${refusal}`);
  } finally {
    await env.close();
  }
}

type Verdict = { selected: boolean; reason?: string };

/** Per operator: taken, or the selection's reason for not taking it. */
function verdicts(
  candidates: readonly OperatorCandidate[],
  selection: Selection | undefined,
): Map<bigint, Verdict> {
  const taken = new Set(selection?.operatorIds ?? []);
  const rejected = new Map((selection?.rejected ?? []).map((r) => [r.id, r.detail]));
  return new Map(
    candidates.map((c): [bigint, Verdict] => {
      if (taken.has(c.id)) return [c.id, { selected: true }];
      const reason =
        rejected.get(c.id) ?? (selection ? "the cluster was full before it" : "no cluster formed");
      return [c.id, { selected: false, reason }];
    }),
  );
}

const WIDTHS = [6, 22, 9, 14, 11, 14];
function pad(cells: readonly string[]): string {
  return cells.map((cell, i) => (i < WIDTHS.length ? cell.padEnd(WIDTHS[i] ?? 0) : cell)).join(" ");
}
