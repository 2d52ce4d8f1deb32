// The reports as functions over a reader, for the benches in ops/ (@sightline/backend/reports).
export { breakdown, events } from "./breakdowns.ts";
export { dailyStats } from "./daily.ts";
export { funnel } from "./funnel.ts";
export { journeys } from "./journeys.ts";
export { overview } from "./overview.ts";
export { retention } from "./retention.ts";
