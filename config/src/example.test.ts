import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { settingsSchema } from "./settings.ts";

const example = fileURLToPath(new URL("../sightline.example.yaml", import.meta.url));

function leafPaths(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

describe("config/sightline.example.yaml", () => {
  it("is valid and documents every setting with its default value", () => {
    const parsed = parse(readFileSync(example, "utf8"));
    const defaults = settingsSchema.parse({});
    expect(settingsSchema.parse(parsed)).toEqual(defaults);
    expect(leafPaths(parsed).sort()).toEqual(leafPaths(defaults).sort());
  });
});
