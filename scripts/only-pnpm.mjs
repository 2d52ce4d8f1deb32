// Sightline's lockfile and workspace protocol are pnpm's; other managers would install something else.
const agent = process.env.npm_config_user_agent ?? "";
if (!agent.startsWith("pnpm/")) {
  console.error("Sightline installs with pnpm. Run: npx --yes pnpm@12.21.0 install");
  process.exit(1);
}
