import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import {
  parseOrdering,
  type SsvApiOperatorRecordInput,
  type SsvApiServer,
  serializeOperator,
  startSsvApiServer,
} from "./api-server.ts";

const recorded = JSON.parse(
  readFileSync(new URL("../../../test/vectors/ssv/operators-page.json", import.meta.url), "utf8"),
) as { operators: Array<Record<string, unknown>>; pagination: Record<string, unknown> };

const input = (id: bigint, more: Partial<SsvApiOperatorRecordInput> = {}): SsvApiOperatorRecordInput => ({
  id,
  name: `op ${id}`,
  fee: 1_000_000_000n * id,
  publicKey: "LS0tLS1CRUdJTg==",
  owner: "0x00000000000000000000000000000000000000a1",
  performance24h: 99,
  performance30d: 98.5,
  isActive: true,
  validatorsCount: 2,
  ...more,
});

async function get(url: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url);
  return { status: response.status, json: await response.json() };
}

describe("SSV API double", () => {
  let server: SsvApiServer;
  const operators = Array.from({ length: 23 }, (_, i) => input(BigInt(i + 1)));
  before(async () => {
    server = await startSsvApiServer({ network: "hoodi", operators: async () => operators });
  });
  after(() => server?.close());
  const api = (path: string) => get(`${server.url}/api/v4/hoodi${path}`);

  it("serialises a record with the recorded API's fields and JSON types", () => {
    const ours = serializeOperator(input(9n, { setupProvider: "AWS", isPrivate: true }), "mainnet");
    const real = recorded.operators[0] as Record<string, unknown>;
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(real).sort());
    for (const [key, value] of Object.entries(real)) {
      const kind = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "string" : typeof v);
      assert.equal(kind(ours[key]), kind(value), key);
    }
    assert.equal(ours.fee, "9000000000");
    assert.equal(ours.id_str, "9");
    assert.equal(ours.is_active, 1);
    assert.deepEqual(ours.performance, { "24h": 99, "30d": 98.5 });
  });

  it("derives the status from activity and validators unless given", () => {
    const status = (more: Partial<SsvApiOperatorRecordInput>) =>
      serializeOperator(input(1n, more), "x").status;
    assert.equal(status({}), "Active");
    assert.equal(status({ validatorsCount: 0 }), "No validators");
    assert.equal(status({ isActive: false }), "Inactive");
    assert.equal(status({ status: "Removed" }), "Removed");
  });

  it("pages as the API does: 10 a page by default, pagination {total, page, pages, per_page}", async () => {
    const first = (await api("/operators")).json as { operators: Array<{ id: number }>; pagination: unknown };
    assert.deepEqual(first.pagination, { total: 23, page: 1, pages: 3, per_page: 10 });
    assert.deepEqual(
      first.operators.map((o) => o.id),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    const last = (await api("/operators?page=3&perPage=10")).json as { operators: unknown[] };
    assert.equal(last.operators.length, 3);
    const beyond = (await api("/operators?page=9&perPage=100")).json as {
      operators: unknown[];
      pagination: unknown;
    };
    assert.deepEqual(beyond, { operators: [], pagination: { total: 23, page: 9, pages: 1, per_page: 100 } });
  });

  it("orders by comma-separated keys, ids ascending breaking ties", async () => {
    const ids = async (ordering: string) =>
      (
        (await api(`/operators?perPage=5&ordering=${ordering}`)).json as { operators: Array<{ id: number }> }
      ).operators.map((o) => o.id);
    assert.deepEqual(await ids("fee:desc"), [23, 22, 21, 20, 19]);
    assert.deepEqual(await ids("validators_count:desc,id:desc"), [23, 22, 21, 20, 19]);
    assert.deepEqual(await ids("performance.30d:asc"), [1, 2, 3, 4, 5]);
    const compare = parseOrdering("status:desc,fee:asc");
    assert.equal(typeof compare, "function");
    const records = [input(1n, { isActive: false }), input(2n, { fee: 5n }), input(3n, { fee: 1n })].map(
      (o) => serializeOperator(o, "x"),
    );
    assert.deepEqual(
      records.sort(compare as Exclude<typeof compare, string>).map((r) => r.id),
      [3, 2, 1],
    );
  });

  it("answers 400 in the API's error format for a bad page, perPage or ordering", async () => {
    for (const [query, message] of [
      ["page=0", "page must be an integer of at least 1"],
      ["page=x", "page must be an integer of at least 1"],
      ["perPage=0", "perPage must be an integer from 1 to 100"],
      ["perPage=101", "perPage must be an integer from 1 to 100"],
      [
        "ordering=fee:up",
        'ordering "fee:up" is not <id|fee|performance.30d|validators_count|status>:<asc|desc>',
      ],
      ["ordering=name", 'ordering "name" is not <id|fee|performance.30d|validators_count|status>:<asc|desc>'],
    ] as const) {
      assert.deepEqual(await api(`/operators?${query}`), {
        status: 400,
        json: { error: { code: 400, message: { error: message, status: 400 } } },
      });
    }
  });

  it("answers 404 for an unknown network, operator or route", async () => {
    const notFound = (message: string) => ({
      status: 404,
      json: { error: { code: 404, message: { error: message, status: 404 } } },
    });
    assert.deepEqual(
      await get(`${server.url}/api/v4/mainnet/operators`),
      notFound("unknown network mainnet"),
    );
    assert.deepEqual(await api("/operators/99"), notFound("operator 99 not found"));
    assert.deepEqual(await get(`${server.url}/api/v3/x`), notFound("Cannot GET /api/v3/x"));
    assert.equal((await api("/operators/7")).status, 200);
    assert.equal(((await api("/operators/007")).json as { id: number }).id, 7);
    assert.equal((await api("/operators/-1")).status, 400);
  });

  it("answers 503 to everything while down", async () => {
    server.setDown(true);
    try {
      const down = {
        status: 503,
        json: { error: { code: 503, message: { error: "Service Unavailable", status: 503 } } },
      };
      assert.deepEqual(await api("/operators"), down);
      assert.deepEqual(await api("/operators/1"), down);
    } finally {
      server.setDown(false);
    }
    assert.equal((await api("/operators/1")).status, 200);
  });
});
