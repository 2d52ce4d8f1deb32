// Writes a brotli (.br) and a gzip (.gz) copy next to every text file of the build, so the
// backend serves them as they are (@fastify/static `preCompressed`) instead of compressing on
// every request. Run after `vite build`; node:zlib only, no dependency.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const DIST = fileURLToPath(new URL("../dist", import.meta.url));
const TEXT = /\.(?:js|css|html|svg|json)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (TEXT.test(name)) yield path;
  }
}

const total = { raw: 0, br: 0, gz: 0, files: 0 };
for (const path of files(DIST)) {
  const raw = readFileSync(path);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gz = gzipSync(raw, { level: 9 });
  // A copy no smaller than the file is left out: the server then sends the file itself.
  if (br.length < raw.length) writeFileSync(`${path}.br`, br);
  if (gz.length < raw.length) writeFileSync(`${path}.gz`, gz);
  total.raw += raw.length;
  total.br += Math.min(br.length, raw.length);
  total.gz += Math.min(gz.length, raw.length);
  total.files++;
}
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log(
  `compress: ${total.files} files in ${relative(process.cwd(), DIST) || "."}: ${kb(total.raw)} raw, ${kb(total.gz)} gzip, ${kb(total.br)} brotli`,
);
