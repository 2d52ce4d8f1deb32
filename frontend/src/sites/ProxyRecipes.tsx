import { useState } from "react";
import { CopyBlock } from "../ui/CopyBlock.tsx";
import { proxyRecipes, type SiteRef } from "./recipes.ts";

/** The first-party proxy recipes for a site, one tab each, ready to copy. */
export function ProxyRecipes({ site }: { site: SiteRef }) {
  const recipes = proxyRecipes(window.location.origin, site);
  const [recipe, setRecipe] = useState(recipes[0]?.key ?? "");
  const chosen = recipes.find((r) => r.key === recipe) ?? recipes[0];
  return (
    <>
      <div className="tabs" role="tablist" aria-label="Proxy recipes">
        {recipes.map((r) => (
          <button
            key={r.key}
            type="button"
            role="tab"
            aria-selected={r.key === chosen?.key}
            className="tab"
            onClick={() => setRecipe(r.key)}
          >
            {r.label}
          </button>
        ))}
      </div>
      {chosen && (
        <>
          <CopyBlock label={`${chosen.label} configuration`} text={chosen.text} />
          <p className="muted">{chosen.note}</p>
        </>
      )}
    </>
  );
}
