import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import terser from "@rollup/plugin-terser";
import typescript from "@rollup/plugin-typescript";

/** Prints raw, gzip and brotli sizes of each written file, so every change shows its cost. */
function reportSize() {
  return {
    name: "report-size",
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        const code = readFileSync(`${options.dir ?? "dist"}/${name}`);
        const gzip = gzipSync(code, { level: 9 }).length;
        const brotli = brotliCompressSync(code, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
        }).length;
        console.log(`${name}: ${code.length} B raw, ${gzip} B gzip, ${brotli} B brotli`);
      }
    },
  };
}

export default {
  input: "src/index.ts",
  output: { dir: "dist", entryFileNames: "s.js", format: "iife", sourcemap: false },
  plugins: [
    typescript({
      tsconfig: "./tsconfig.json",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts", "src/testing.ts"],
      // The shared base is typecheck-only (noEmit, NodeNext); a bundle needs emitting ESM for old-enough browsers.
      compilerOptions: {
        noEmit: false,
        allowImportingTsExtensions: true,
        rewriteRelativeImportExtensions: true,
        module: "ESNext",
        moduleResolution: "Bundler",
        target: "ES2017",
        declaration: false,
        sourceMap: false,
      },
      noEmitOnError: true,
    }),
    terser({ ecma: 2017, compress: { passes: 3 }, format: { comments: false } }),
    reportSize(),
  ],
};
