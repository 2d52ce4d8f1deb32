import { PANELS, type PanelDef } from "./defs.ts";
import { GoalsPanel } from "./GoalsPanel.tsx";
import { ReportPanel } from "./ReportPanel.tsx";

const byKey = (key: string) => PANELS.find((p) => p.key === key) as PanelDef;

/** Every report panel, two to a row on wide screens, one on phones. */
export function Panels() {
  return (
    <div className="panels">
      <ReportPanel panel={byKey("sources")} />
      <ReportPanel panel={byKey("pages")} />
      <ReportPanel panel={byKey("locations")} />
      <ReportPanel panel={byKey("devices")} />
      <GoalsPanel />
      <ReportPanel panel={byKey("behaviour")} />
    </div>
  );
}
