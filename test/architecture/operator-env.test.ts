import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Command } from "commander";
import { createProgram } from "../../src/bin/program.ts";
import { OPERATOR_ENV } from "../support/operator-env.ts";
import { SRC, sourceFiles } from "./source-files.ts";

describe("OPERATOR_ENV (what test children run without)", () => {
  it("lists every env var of every command's flags", () => {
    const names = new Set<string>();
    const walk = (command: Command) => {
      for (const option of command.options) {
        if (option.envVar) names.add(option.envVar);
        const described = /\(env: ([A-Z0-9_]+)\)/.exec(option.description ?? "");
        if (described?.[1]) names.add(described[1]);
      }
      command.commands.forEach(walk);
    };
    walk(createProgram(() => ({}) as never));
    assert.ok(names.size > 30);
    assert.deepEqual([...names].filter((name) => !OPERATOR_ENV.includes(name)).sort(), []);
  });

  it("lists every env-only setting read in src/", () => {
    const read = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, "utf8");
      // env.NAME, and parseEnvValue(env, "NAME", …) (lib/values.ts).
      for (const match of text.matchAll(
        /\benv\.([A-Z][A-Z0-9_]{3,})\b|parseEnvValue\(\s*\w+,\s*"([A-Z][A-Z0-9_]{3,})"/g,
      )) {
        const name = match[1] ?? match[2];
        if (name) read.add(name);
      }
    }
    assert.deepEqual([...read].filter((name) => !OPERATOR_ENV.includes(name)).sort(), []);
  });
});
