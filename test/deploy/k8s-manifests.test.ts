/**
 * The Kubernetes manifests (deploy/k8s, issue 15 must-be-true 3): every object passes the
 * Kubernetes API schema (kubernetes-models, generated from the API's OpenAPI definitions), the
 * Kustomize rendering too (kubectl's built-in kustomize, when kubectl is on the machine), and the
 * deployment rules the README promises hold: two replicas and a disruption budget, a non-root
 * user matching the image's, a read-only root filesystem, probes on /health, secrets mounted as
 * files and never in env, and only env vars the CLI reads.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { loadAll } from "js-yaml";
import { StatefulSet } from "kubernetes-models/apps/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Service } from "kubernetes-models/v1";
import { OPERATOR_ENV } from "../support/operator-env.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DIR = join(ROOT, "deploy", "k8s");

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked by the schema, then read freely.
  [key: string]: any;
}

/** Validates one object against its kind's API schema; throws with the schema's reason. */
function validate(object: K8sObject): void {
  const kinds: Record<string, (o: K8sObject) => { validate(): void }> = {
    "v1/ConfigMap": (o) => new ConfigMap(o as never),
    "v1/Service": (o) => new Service(o as never),
    "apps/v1/StatefulSet": (o) => new StatefulSet(o as never),
    "policy/v1/PodDisruptionBudget": (o) => new PodDisruptionBudget(o as never),
  };
  const make = kinds[`${object.apiVersion}/${object.kind}`];
  assert.ok(make, `${object.apiVersion} ${object.kind} has no schema in this test`);
  make(object).validate();
}

const sources = readdirSync(DIR)
  .filter((name) => name.endsWith(".yaml") && name !== "kustomization.yaml")
  .flatMap((name) =>
    (loadAll(readFileSync(join(DIR, name), "utf8")) as K8sObject[]).map((object) => ({ name, object })),
  );
const byKind = (kind: string) => sources.map((s) => s.object).filter((o) => o.kind === kind);

function hasKubectl(): boolean {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("Kubernetes manifests (deploy/k8s)", () => {
  it("every object passes the Kubernetes API schema", () => {
    assert.equal(sources.length, 5);
    for (const { name, object } of sources) {
      assert.doesNotThrow(() => validate(object), `${name}: ${object.kind} ${object.metadata?.name}`);
    }
  });

  it("kustomize renders the same objects, each passing the schema", (t) => {
    if (!hasKubectl()) {
      t.skip("no kubectl on this machine");
      return;
    }
    const rendered = loadAll(
      execFileSync("kubectl", ["kustomize", DIR], { encoding: "utf8" }),
    ) as K8sObject[];
    assert.deepEqual(
      rendered.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
      sources.map((s) => `${s.object.kind}/${s.object.metadata.name}`).sort(),
    );
    for (const object of rendered) {
      // kustomize prints ConfigMap values it reads as strings unquoted; the API takes them as strings.
      if (object.kind === "ConfigMap") {
        object.data = Object.fromEntries(
          Object.entries(object.data as Record<string, unknown>).map(([k, v]) => [
            k,
            typeof v === "string" ? v : String(v),
          ]),
        );
      }
      assert.doesNotThrow(() => validate(object), `${object.kind} ${object.metadata.name}`);
      assert.equal(object.metadata.labels?.["app.kubernetes.io/part-of"], "vault-operator");
    }
  });

  it("a schema violation is caught (the check is not a no-op)", () => {
    const [statefulSet] = byKind("StatefulSet");
    const broken = structuredClone(statefulSet) as K8sObject;
    broken.spec.replicas = "two";
    assert.throws(() => validate(broken));
  });

  it("two replicas, at most one evicted at a time, one per node preferred", () => {
    const [statefulSet] = byKind("StatefulSet");
    assert.equal(statefulSet?.spec.replicas, 2);
    assert.equal(statefulSet?.spec.podManagementPolicy, "Parallel");
    const [pdb] = byKind("PodDisruptionBudget");
    assert.equal(pdb?.spec.maxUnavailable, 1);
    assert.deepEqual(pdb?.spec.selector, statefulSet?.spec.selector);
  });

  it("runs as the image's non-root user on a read-only root, probed on /health", () => {
    const pod = byKind("StatefulSet")[0]?.spec.template.spec;
    const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
    const uid = /ARG OPERATOR_UID=(\d+)/.exec(dockerfile)?.[1];
    assert.equal(String(pod.securityContext.runAsUser), uid, "the image's user");
    assert.equal(pod.securityContext.runAsNonRoot, true);
    for (const container of [...pod.initContainers, ...pod.containers]) {
      assert.equal(container.securityContext.readOnlyRootFilesystem, true, container.name);
      assert.equal(container.securityContext.allowPrivilegeEscalation, false, container.name);
      assert.deepEqual(container.securityContext.capabilities.drop, ["ALL"], container.name);
      assert.ok(container.resources.requests.cpu && container.resources.requests.memory, container.name);
    }
    const [operator] = pod.containers;
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      assert.equal(operator[probe].httpGet.path, "/health", probe);
      assert.equal(operator[probe].httpGet.port, "metrics", probe);
    }
    const [config] = byKind("ConfigMap").filter((c) => c.metadata.name === "vault-operator-env");
    assert.equal(
      Number(config?.data.METRICS_PORT),
      operator.ports.find((p: { name: string }) => p.name === "metrics").containerPort,
    );
    const [service] = byKind("Service");
    assert.equal(service?.spec.ports[0].name, "metrics");
  });

  it("secrets are files from Secrets, never env values; every env var is one the CLI reads", () => {
    const pod = byKind("StatefulSet")[0]?.spec.template.spec;
    const [config] = byKind("ConfigMap").filter((c) => c.metadata.name === "vault-operator-env");
    const env = config?.data as Record<string, string>;
    for (const name of Object.keys(env)) {
      assert.ok(OPERATOR_ENV.includes(name), `${name} is not an env var the CLI reads`);
      assert.doesNotMatch(
        name,
        /PASSWORD$|PRIVATE_KEY|^DB_URL$|TOKEN|MNEMONIC/,
        `${name} carries a secret in env`,
      );
    }
    const [operator] = pod.containers;
    assert.equal(operator.env, undefined, "no literal env values beside the ConfigMap");
    // Each *_FILE setting points into a read-only mount of a Secret.
    const secretMounts = operator.volumeMounts.filter((m: { name: string }) =>
      pod.volumes.some((v: { name: string; secret?: unknown }) => v.name === m.name && v.secret),
    );
    for (const key of ["DB_URL_FILE", "WALLET_FILE", "WALLET_PASSWORD_FILE"]) {
      const mount = secretMounts.find((m: { mountPath: string }) => env[key]?.startsWith(`${m.mountPath}/`));
      assert.ok(mount, `${key} ${env[key]} is not in a Secret's mount`);
      assert.equal(mount.readOnly, true, key);
    }
    for (const volume of pod.volumes.filter((v: { secret?: unknown }) => v.secret)) {
      assert.equal(volume.secret.defaultMode, 0o400, volume.name);
    }
  });
});
