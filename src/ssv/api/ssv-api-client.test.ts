import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Address } from "viem";
import { startScriptedServer, startWebServer, unusedUrl } from "../../../test/support/scripted-server.ts";
import {
  type SsvApiOperatorRecordInput,
  type SsvApiServer,
  serializeOperator,
  startSsvApiServer,
} from "../../devnet/ssv/api-server.ts";
import { createSsvApiClient, SsvApiError } from "./ssv-api-client.ts";

/** 250 operators: three pages of 100. Fees, performance and counts vary so orderings differ. */
const OPERATORS: SsvApiOperatorRecordInput[] = Array.from({ length: 250 }, (_, i) => {
  const id = BigInt(i + 1);
  return {
    id,
    name: `operator ${id}`,
    fee: BigInt((i * 7919) % 250) * 10_000_000n,
    publicKey: Buffer.from(`-----BEGIN RSA PUBLIC KEY-----\nkey ${id}\n`).toString("base64"),
    owner: `0x${id.toString(16).padStart(40, "0")}` as Address,
    setupProvider: ["AWS", "GCP", "Bare metal"][i % 3] as string,
    performance24h: 90 + (i % 10),
    performance30d: 80 + ((i * 13) % 20),
    isActive: i % 5 !== 0,
    validatorsCount: i % 4,
  };
});

async function rejection(promise: Promise<unknown>): Promise<SsvApiError> {
  const error = await promise.then(
    () => assert.fail("resolved"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof SsvApiError, String(error));
  return error;
}

describe("SSV API client against the devnet's double", () => {
  let server: SsvApiServer;
  let listed = 0;
  before(async () => {
    server = await startSsvApiServer({
      network: "devnet",
      operators: async () => {
        listed++;
        return OPERATORS;
      },
    });
  });
  after(() => server?.close());
  beforeEach(() => {
    listed = 0;
    server.setDown(false);
  });
  const client = () => createSsvApiClient({ baseUrl: server.url, network: "devnet" });

  it("reads every operator across three pages of 100, in id order", async () => {
    const operators = await client().operators({});
    assert.equal(listed, 3);
    assert.deepEqual(
      operators.map((o) => o.id),
      OPERATORS.map((o) => o.id),
    );
    assert.deepEqual(operators[1], {
      id: 2n,
      name: "operator 2",
      fee: OPERATORS[1]?.fee,
      publicKey: OPERATORS[1]?.publicKey,
      owner: "0x0000000000000000000000000000000000000002",
      setupProvider: "GCP",
      performance24h: 91,
      performance30d: 93,
      status: "Active",
      isActive: true,
      isPrivate: false,
      isDeleted: false,
      validatorsCount: 1,
      type: "operator",
    });
  });

  it("passes the ordering: status, then 30-day performance, then fee", async () => {
    const operators = await client().operators({ ordering: "status:desc,performance.30d:desc,fee:asc" });
    const rank = (o: { status?: string }) => ["Inactive", "No validators", "Active"].indexOf(o.status ?? "");
    for (let i = 1; i < operators.length; i++) {
      const [a, b] = [operators[i - 1], operators[i]] as [(typeof operators)[0], (typeof operators)[0]];
      const key = (o: typeof a) => [-rank(o), -(o.performance30d ?? 0), o.fee, o.id] as const;
      const [ka, kb] = [key(a), key(b)];
      const cmp = ka.findIndex((v, j) => v !== kb[j]);
      assert.ok(cmp === -1 || (ka[cmp] as number | bigint) < (kb[cmp] as number | bigint), `at ${i}`);
    }
    assert.equal(operators.length, 250);
    assert.equal(operators[0]?.status, "Active");
    assert.equal(operators.at(-1)?.status, "Inactive");
  });

  it("looks operators up by id, in the order asked, leaving out ids the API does not know", async () => {
    const operators = await client().operators({ ids: [7n, 999n, 3n, 250n] });
    assert.deepEqual(
      operators.map((o) => o.id),
      [7n, 3n, 250n],
    );
    assert.equal(listed, 4);
    assert.equal(await client().operator(999n), undefined);
    assert.equal((await client().operator(42n))?.name, "operator 42");
  });

  it("a 404 for the list (unknown network) is an error naming the URL and the API's message", async () => {
    const wrong = createSsvApiClient({ baseUrl: server.url, network: "nosuchnet" });
    const error = await rejection(wrong.operators({}));
    assert.equal(error.status, 404);
    assert.equal(error.retryable, false);
    assert.equal(
      error.message,
      `SSV API ${server.url}/api/v4/nosuchnet/operators answered HTTP 404: unknown network nosuchnet`,
    );
  });

  it("a 400 (an ordering the API does not take) is not retryable and says why", async () => {
    const error = await rejection(client().operators({ ordering: "name:asc" }));
    assert.equal(error.status, 400);
    assert.equal(error.retryable, false);
    assert.match(error.message, /answered HTTP 400: ordering "name:asc" is not <id\|fee\|/);
  });

  it("an API that is down (503) is a retryable error; back up, it answers again", async () => {
    server.setDown(true);
    for (const request of [
      client().operators({}),
      client().operators({ ids: [1n] }),
      client().operator(1n),
    ]) {
      const error = await rejection(request);
      assert.equal(error.status, 503);
      assert.equal(error.retryable, true);
      assert.match(
        error.message,
        /^SSV API http:\/\/127\.0\.0\.1:\d+\/api\/v4\/devnet\/operators\S* answered HTTP 503: Service Unavailable$/,
      );
    }
    server.setDown(false);
    assert.equal((await client().operator(1n))?.id, 1n);
  });
});

describe("SSV API client against other answers", () => {
  it("a malformed record is a clear error naming the operator and the field", async () => {
    const good = serializeOperator(OPERATORS[0] as SsvApiOperatorRecordInput, "mainnet");
    const api = await startScriptedServer(() => ({
      json: {
        operators: [good, { ...good, id: 5, id_str: "5", fee: "0.5" }],
        pagination: { total: 2, page: 1, pages: 1, per_page: 100 },
      },
    }));
    try {
      const error = await rejection(
        createSsvApiClient({ baseUrl: api.url, network: "mainnet" }).operators({}),
      );
      assert.equal(error.retryable, false);
      assert.equal(
        error.message,
        `SSV API ${api.url}/api/v4/mainnet/operators answered unexpectedly: operator 5: field "fee" must be a decimal integer`,
      );
      assert.equal(api.requests[0]?.url, "/api/v4/mainnet/operators?page=1&perPage=100&ordering=id%3Aasc");
    } finally {
      await api.close();
    }
  });

  it("the wrong page, the wrong operator or an answer that is not a record is an invalid answer", async () => {
    const one = serializeOperator(OPERATORS[0] as SsvApiOperatorRecordInput, "mainnet");
    const api = await startScriptedServer((request) =>
      request.url.endsWith("/operators/5")
        ? { json: one }
        : request.url.includes("/operators/")
          ? { json: { operators: [] } }
          : { json: { operators: [], pagination: { total: 300, page: 1, pages: 2, per_page: 100 } } },
    );
    try {
      const client = createSsvApiClient({ baseUrl: api.url, network: "mainnet" });
      const wrongPage = await rejection(client.operators({}));
      assert.match(wrongPage.message, /answered unexpectedly: page 1 instead of page 2$/);
      const wrongId = await rejection(client.operator(5n));
      assert.match(
        wrongId.message,
        /\/operators\/5 answered unexpectedly: operator 1 instead of operator 5$/,
      );
      const notARecord = await rejection(client.operator(4n));
      assert.equal(notARecord.retryable, false);
      assert.match(notARecord.message, /\/operators\/4 answered unexpectedly: an operator: field "id" /);
    } finally {
      await api.close();
    }
  });

  it("reads the API's error message in either form, and a refused connection is retryable", async () => {
    const api = await startScriptedServer((request) => ({
      status: request.url.endsWith("/1") ? 500 : 429,
      json: request.url.endsWith("/1")
        ? { error: { code: 500, message: "database\nunavailable" } }
        : { error: { code: 429, message: { error: "Too Many Requests", status: 429 } } },
    }));
    try {
      const client = createSsvApiClient({ baseUrl: api.url, network: "mainnet" });
      const e500 = await rejection(client.operator(1n));
      assert.equal(
        e500.message,
        `SSV API ${api.url}/api/v4/mainnet/operators/1 answered HTTP 500: database unavailable`,
      );
      assert.equal(e500.retryable, true);
      const e429 = await rejection(client.operator(2n));
      assert.match(e429.message, /answered HTTP 429: Too Many Requests$/);
      assert.equal(e429.retryable, true);
    } finally {
      await api.close();
    }
    const refused = await rejection(
      createSsvApiClient({ baseUrl: await unusedUrl(), network: "mainnet" }).operators({}),
    );
    assert.equal(refused.retryable, true);
    assert.match(refused.message, /operators refused the connection$/);
  });

  it("an HTML 404 (a wrong base URL) is an error, not an unknown operator; credentials stay out", async () => {
    const web = await startWebServer();
    try {
      const base = `${web.url.replace("http://", "http://user:pw@")}/ssv?apikey=s3cret`;
      const error = await rejection(createSsvApiClient({ baseUrl: base, network: "mainnet" }).operator(1n));
      assert.equal(error.status, 404);
      assert.equal(error.url, `${web.url.replace("http://", "http://***@")}/***/api/v4/mainnet/operators/1`);
      assert.doesNotMatch(error.message, /s3cret|pw@/);
      assert.match(web.requests[0]?.url ?? "", /^\/ssv\/api\/v4\/mainnet\/operators\/1\?apikey=s3cret$/);
    } finally {
      await web.close();
    }
  });
});
