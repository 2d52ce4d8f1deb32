import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";

export type ShippedFilePolicy = "delete" | "archive";

/** Spool files in the order they were opened (names sort by open time). */
export async function listSpoolFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((n) => n.endsWith(".ndjson")).sort();
}

/** Deletes a fully shipped file, or moves it into the archive folder (same file system: a rename). */
export async function retireFile(
  dir: string,
  file: string,
  policy: ShippedFilePolicy,
  archiveDir: string,
): Promise<void> {
  if (policy === "delete") {
    await rm(join(dir, file), { force: true });
    return;
  }
  await mkdir(archiveDir, { recursive: true });
  await rename(join(dir, file), join(archiveDir, file));
}

/** Removes archived files older than `keepMs`; returns how many went. */
export async function pruneArchive(archiveDir: string, keepMs: number, now = Date.now()) {
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(archiveDir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.endsWith(".ndjson")) continue;
    const path = join(archiveDir, name);
    const info = await stat(path).catch(() => null);
    if (info && now - info.mtimeMs > keepMs) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}
