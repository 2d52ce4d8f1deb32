import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { settingsSchema } from "@sightline/config";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { lineage, readDockerfile } from "./dockerfile.ts";

// Every overlay rendered with `kubectl kustomize` (Debian's kubectl 1.20 embeds kustomize 2.0, a
// newer kubectl works as well), every object validated offline against the Kubernetes OpenAPI
// schemas shipped in kubernetes-models, then checked against the code: images, ports, probe
// paths, settings, the spool Vector and the collector share, security contexts.

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const KUBECTL = process.env.KUBECTL_PATH ?? "kubectl";
const OVERLAYS = ["small", "large"] as const;

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are free-form YAML
type Obj = Record<string, any>;

function render(overlay: string): Obj[] {
  const run = spawnSync(KUBECTL, ["kustomize", join(ROOT, "ops/k8s/overlays", overlay)], {
    encoding: "utf8",
  });
  if (run.error)
    throw new Error(`${KUBECTL}: ${run.error.message} (run node scripts/ensure-test-deps.mjs)`);
  // Newer kustomize warns about fields kustomize 2.0 needs; nothing else may appear.
  const stderr = run.stderr
    .split("\n")
    .filter((l) => l && !/^# Warning: '\w+' is deprecated/.test(l));
  expect(stderr, overlay).toEqual([]);
  expect(run.status, overlay).toBe(0);
  return parseAllDocuments(run.stdout)
    .map((d) => d.toJSON() as Obj)
    .filter(Boolean);
}

/** The Kubernetes model class for an object, from kubernetes-models (OpenAPI schemas). */
async function model(obj: Obj): Promise<(new (data: Obj) => { validate(): void }) | undefined> {
  const [group, version] = String(obj.apiVersion).includes("/")
    ? String(obj.apiVersion).split("/")
    : ["", obj.apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  const mod = (await import(path).catch(() => undefined)) as Obj | undefined;
  return mod?.[obj.kind];
}

function envNames(schema: unknown, path: string[] = []): string[] {
  let inner = schema as Obj;
  while (inner.def?.type === "default" || inner.def?.type === "prefault")
    inner = inner.def.innerType;
  if (inner.def?.type === "object")
    return Object.entries(inner.shape as Obj).flatMap(([k, v]) => envNames(v, [...path, k]));
  return [
    `SIGHTLINE_${path.map((p) => p.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()).join("_")}`,
  ];
}
/** Settings variables, plus the two the processes read themselves (main.ts, settings.ts). */
const KNOWN_ENV = new Set([...envNames(settingsSchema), "SIGHTLINE_CONFIG", "SIGHTLINE_LOG_LEVEL"]);

const podSpec = (o: Obj): Obj | undefined =>
  o.kind === "Deployment" || o.kind === "StatefulSet" ? o.spec.template.spec : undefined;
const find = (objs: Obj[], kind: string, name: string) =>
  objs.find((o) => o.kind === kind && o.metadata.name === name);
const matches = (labels: Obj, selector: Obj) =>
  Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v) &&
  (selector.matchExpressions ?? []).every((e: Obj) =>
    e.operator === "In" ? e.values.includes(labels?.[e.key]) : true,
  );

const compose = parse(readFileSync(join(ROOT, "ops/compose/docker-compose.yml"), "utf8")) as Obj;
const stages = readDockerfile(join(ROOT, "ops/docker/Dockerfile"));
const healthRoutes = readFileSync(join(ROOT, "backend/src/routes/health.ts"), "utf8");
const collectorRoutes = readFileSync(join(ROOT, "collector-node/src/server/handler.ts"), "utf8");
const rendered = Object.fromEntries(OVERLAYS.map((o) => [o, render(o)])) as Record<
  (typeof OVERLAYS)[number],
  Obj[]
>;

describe.each(OVERLAYS)("ops/k8s/overlays/%s", (overlay) => {
  const objs = rendered[overlay];

  it("renders objects that the Kubernetes OpenAPI schemas accept", async () => {
    expect(objs.length).toBeGreaterThan(10);
    for (const obj of objs) {
      expect(obj.metadata.namespace ?? "", `${obj.kind}/${obj.metadata.name}`).toBe(
        obj.kind === "Namespace" ? "" : "sightline",
      );
      if (obj.apiVersion === "clickhouse.altinity.com/v1") {
        // The operator's CRD is not in kubernetes-models: its shape is checked below.
        expect(obj.kind).toBe("ClickHouseInstallation");
        continue;
      }
      const Model = await model(obj);
      expect(Model, `a schema for ${obj.apiVersion} ${obj.kind}`).toBeDefined();
      if (Model)
        expect(() => new Model(obj).validate(), `${obj.kind}/${obj.metadata.name}`).not.toThrow();
    }
  });

  it("runs the images and ports of the code, probing endpoints it serves", () => {
    const collector = find(objs, "Deployment", "collector");
    const backend = find(objs, "StatefulSet", "backend");
    expect(collector && backend).toBeTruthy();
    const port = Number(
      /port: z\.number\(\)[^\n]*\.default\((\d+)\)/.exec(
        readFileSync(join(ROOT, "config/src/settings.ts"), "utf8"),
      )?.[1],
    );
    for (const [name, workload, served] of [
      ["collector", collector, collectorRoutes],
      ["backend", backend, healthRoutes],
    ] as const) {
      const container = podSpec(workload ?? {})?.containers.find((c: Obj) => c.name === name);
      const [image, tag] = String(container.image).split(":");
      expect(image).toBe(String(compose.services[name].image).split(":")[0]);
      expect(tag).toBeTruthy();
      // The image is the Dockerfile target of that name, exposing this port.
      const expose = lineage(stages, name)
        .flatMap((s) => s.instructions)
        .find((i) => i.keyword === "EXPOSE");
      expect(Number(expose?.args)).toBe(port);
      expect(container.ports).toEqual([{ name: "http", containerPort: port }]);
      for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        const get = container[probe]?.httpGet;
        expect(get?.port, `${name} ${probe}`).toBe("http");
        expect(served, `${name} serves ${get?.path}`).toContain(`"${get?.path}"`);
      }
      const service = find(objs, "Service", name);
      expect(service?.spec.ports).toEqual([{ name: "http", port, targetPort: "http" }]);
      expect(
        matches(workload?.spec.template.metadata.labels, { matchLabels: service?.spec.selector }),
      ).toBe(true);
    }
    expect(
      podSpec(backend ?? {})?.containers[0].readinessProbe.httpGet.path,
      "the backend is ready when ClickHouse answers",
    ).toBe("/readyz");

    // The Ingress sends /sl/ to the collectors and the rest to the backend.
    const ingress = find(objs, "Ingress", "sightline");
    const paths = ingress?.spec.rules[0].http.paths.map((p: Obj) => [
      p.path,
      p.backend.service.name,
      p.backend.service.port.name,
    ]);
    expect(paths).toEqual([
      ["/sl/", "collector", "http"],
      ["/", "backend", "http"],
    ]);
  });

  it("puts Vector beside the collector on one spool volume, and ClickHouse where the settings say", () => {
    const pod = podSpec(find(objs, "Deployment", "collector") ?? {});
    const [collector, vector] = ["collector", "vector"].map((n) =>
      pod?.containers.find((c: Obj) => c.name === n),
    );
    const env = (c: Obj, name: string) => c?.env?.find((e: Obj) => e.name === name);
    const spoolDir = env(collector, "SIGHTLINE_SPOOL_DIR")?.value;
    expect(spoolDir).toBe(`${env(vector, "SIGHTLINE_DATA_DIR")?.value}/spool`);
    const volumeAt = (c: Obj, path: string) =>
      c.volumeMounts.find((m: Obj) => path === m.mountPath || path.startsWith(`${m.mountPath}/`))
        ?.name;
    expect(volumeAt(collector, spoolDir)).toBe("spool");
    expect(volumeAt(vector, spoolDir)).toBe("spool");
    expect(vector.image).toBe(compose.services.vector.image);
    expect(vector.args).toEqual(compose.services.vector.command);
    // Vector's config is config/vector/vector.yaml, unchanged.
    const vectorYaml = readFileSync(join(ROOT, "config/vector/vector.yaml"), "utf8");
    expect(readFileSync(join(ROOT, "ops/k8s/base/vector.yaml"), "utf8")).toBe(vectorYaml);
    const configMap = objs.find(
      (o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("vector-config"),
    );
    expect(configMap?.data["vector.yaml"]).toBe(vectorYaml);
    // Salts shared by every collector.
    expect(pod?.volumes.find((v: Obj) => v.name === "salts")?.persistentVolumeClaim.claimName).toBe(
      "sightline-salts",
    );
    const salts = find(objs, "PersistentVolumeClaim", "sightline-salts");
    expect(salts?.spec.accessModes).toEqual([
      overlay === "small" ? "ReadWriteOnce" : "ReadWriteMany",
    ]);

    // The ClickHouse URL names a Service of this render (the operator's for the large overlay).
    const settings = find(objs, "ConfigMap", "sightline-settings");
    const url = new URL(settings?.data.SIGHTLINE_CLICKHOUSE_URL);
    expect(url.port).toBe("8123");
    const chi = objs.find((o) => o.kind === "ClickHouseInstallation");
    const services = objs.filter((o) => o.kind === "Service").map((o) => o.metadata.name);
    if (chi) services.push(`clickhouse-${chi.metadata.name}`);
    expect(services).toContain(url.hostname);
    const clickhouseImage = chi
      ? chi.spec.templates.podTemplates[0].spec.containers[0].image
      : podSpec(find(objs, "StatefulSet", "clickhouse") ?? {})?.containers[0].image;
    expect(clickhouseImage).toBe(compose.services.clickhouse.image);
    if (chi) {
      expect(overlay).toBe("large");
      expect(chi.spec.configuration.clusters[0].layout).toEqual({
        shardsCount: 1,
        replicasCount: 1,
      });
      expect(chi.spec.configuration.users["sightline/k8s_secret_password"]).toBe(
        "sightline/sightline-secrets/clickhouse-password",
      );
    }
    // Whatever runs ClickHouse, its pods are the ones the NetworkPolicy opens to Sightline.
    const labels = chi
      ? chi.spec.templates.podTemplates[0].metadata.labels
      : find(objs, "StatefulSet", "clickhouse")?.spec.template.metadata.labels;
    const policy = find(objs, "NetworkPolicy", "clickhouse-from-sightline");
    expect(matches(labels, policy?.spec.podSelector)).toBe(true);
    for (const name of ["collector", "backend"]) {
      const w = find(objs, name === "collector" ? "Deployment" : "StatefulSet", name);
      expect(
        matches(w?.spec.template.metadata.labels, policy?.spec.ingress[0].from[0].podSelector),
      ).toBe(true);
    }
  });

  it("keeps one LMDB writer, a PDB for the collectors and, when large, an HPA on CPU", () => {
    const backend = find(objs, "StatefulSet", "backend");
    expect(backend?.spec.replicas).toBe(1);
    const data = backend?.spec.volumeClaimTemplates[0];
    expect(data.spec.accessModes).toEqual(["ReadWriteOnce"]);
    const settings = find(objs, "ConfigMap", "sightline-settings")?.data;
    expect(podSpec(backend ?? {})?.containers[0].volumeMounts).toContainEqual({
      name: data.metadata.name,
      mountPath: settings.SIGHTLINE_DATA_DIR,
    });
    const pdb = find(objs, "PodDisruptionBudget", "collector");
    expect(pdb?.spec.selector.matchLabels["app.kubernetes.io/name"]).toBe("collector");
    const hpa = find(objs, "HorizontalPodAutoscaler", "collector");
    if (overlay === "small") {
      expect(hpa).toBeUndefined();
      expect(find(objs, "Deployment", "collector")?.spec.replicas).toBe(1);
    } else {
      expect(hpa?.spec.scaleTargetRef).toEqual({
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "collector",
      });
      expect(hpa?.spec.metrics[0].resource.name).toBe("cpu");
      expect(hpa?.spec.minReplicas).toBeGreaterThanOrEqual(2);
    }
  });

  it("runs every container unprivileged, with settings the code knows", () => {
    for (const workload of objs.filter(podSpec)) {
      const pod = podSpec(workload) ?? {};
      const where = `${workload.kind}/${workload.metadata.name}`;
      expect(pod.securityContext?.runAsNonRoot, where).toBe(true);
      expect(pod.securityContext?.seccompProfile?.type, where).toBe("RuntimeDefault");
      for (const c of pod.containers) {
        expect(c.securityContext, `${where} ${c.name}`).toEqual({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
        });
        for (const e of c.env ?? [])
          if (String(e.name).startsWith("SIGHTLINE_"))
            expect(
              KNOWN_ENV.has(e.name) || e.name === "SIGHTLINE_DATA_DIR",
              `${where}: ${e.name}`,
            ).toBe(true);
      }
    }
    for (const key of Object.keys(find(objs, "ConfigMap", "sightline-settings")?.data ?? {}))
      expect(KNOWN_ENV.has(key), key).toBe(true);
    for (const service of Object.values(compose.services) as Obj[])
      for (const key of Object.keys(service.environment ?? {}))
        if (key.startsWith("SIGHTLINE_")) expect(KNOWN_ENV.has(key), `compose ${key}`).toBe(true);
  });
});
