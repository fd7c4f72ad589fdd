import type { CommanderError } from "commander";

/** Longest flag name repeated from the command line. */
const MAX_FLAG = 40;

/**
 * Commander's error as one line, without the stray arguments it may quote: they can be mnemonic
 * words (a mnemonic passed without quotes), so an unknown command is never repeated, and of an
 * unknown option only its name (not a `=value`). Commander's suggestion (`Did you mean init?`)
 * is kept: it is one of our own command or flag names.
 */
export function usageError(error: CommanderError): string {
  const suggestion = /\(Did you mean (?:one of )?([^?]+)\?\)/.exec(error.message)?.[1];
  const didYouMean = suggestion ? `: did you mean ${suggestion.split(", ").join(" or ")}? ` : " ";
  switch (error.code) {
    case "commander.excessArguments":
      return 'unexpected extra arguments: quote values that contain spaces, e.g. --mnemonic "word1 word2 …" (run with --help for usage)';
    case "commander.unknownCommand":
      return `unknown command${didYouMean}(run operator --help for the list of commands)`;
    case "commander.unknownOption": {
      const typed = /unknown option '([^']*)'/.exec(error.message)?.[1] ?? "";
      const flag = typed.split("=")[0] ?? "";
      const shown = flag.length > MAX_FLAG ? `${flag.slice(0, MAX_FLAG - 1)}…` : flag;
      return `unknown option ${shown}${didYouMean}(run with --help for usage)`;
    }
    default:
      return `${error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ")} (run with --help for usage)`;
  }
}
