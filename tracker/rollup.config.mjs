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

const plugins = () => [
  typescript({
    tsconfig: "./tsconfig.json",
    include: ["src/**/*.ts"],
    exclude: ["src/**/*.test.ts", "e2e/**"],
    // The shared base is typecheck-only (noEmit, NodeNext); a bundle needs emitting ESM.
    compilerOptions: {
      noEmit: false,
      allowImportingTsExtensions: true,
      rewriteRelativeImportExtensions: true,
      module: "ESNext",
      moduleResolution: "Bundler",
      target: "ES2020",
      declaration: false,
      sourceMap: false,
    },
    noEmitOnError: true,
  }),
  terser({
    ecma: 2020,
    toplevel: true,
    compress: { passes: 3, unsafe: true, unsafe_arrows: true, pure_getters: true },
    // Our own object members (the config), never DOM names.
    mangle: { properties: { regex: /^(attr|site|base|folder)$/ } },
    format: { comments: false },
  }),
  reportSize(),
];

/** The core (s.js) and each plugin: separate IIFE files, plugins loaded only when enabled. */
const files = {
  "s.js": "src/index.ts",
  "errors.js": "src/plugins/errors.ts",
  "vitals.js": "src/plugins/vitals.ts",
};

export default Object.entries(files).map(([file, input]) => ({
  input,
  // No "use strict" prologue: the code does not rely on strict-mode semantics, and it costs bytes.
  output: { dir: "dist", entryFileNames: file, format: "iife", strict: false, sourcemap: false },
  plugins: plugins(),
}));
