import type { Page } from "playwright-core";
export default async (page: Page, url: string, token: string) => {
  const list = await (await fetch(`${url}/api/v1/dashboards`, { headers: { authorization: `Bearer ${token}` } })).json();
  const b = list.dashboards.find((x: { name: string }) => x.name === "Renamed elsewhere");
  await page.goto(`${url}/boards/${b.id}?edit=1`);
  await page.waitForTimeout(4000);
  console.log(await page.evaluate(`JSON.stringify([...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392).map(e => e.tagName + '.' + (e.className?.baseVal ?? e.className) + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 25), null, 1)`));
  await page.screenshot({ path: "/tmp/e8.png" });
};
