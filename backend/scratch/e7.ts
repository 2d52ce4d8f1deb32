import type { Page } from "playwright-core";
export default async (page: Page, url: string, token: string) => {
  const t0 = Date.now();
  page.on("pageerror", (e) => console.log(Date.now() - t0, "PAGEERROR", e.stack));
  const log = (s: string) => console.log(Date.now() - t0, s);
  const r = await fetch(`${url}/api/v1/dashboards`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ name: "x", sites: ["shop.example"], widgets: [] }) });
  const id = (await r.json()).id;
  await page.goto(`${url}/boards/${id}?edit=1`);
  await page.getByRole("button", { name: "+ Add widget" }).click();
  await page.locator("dialog[open] [data-template=number]").click();
  await page.locator("dialog[open] [data-testid=widget-number]").waitFor();
  await page.locator("dialog[open]").getByRole("button", { name: "Save widget" }).click();
  log("saved number");
  await page.waitForTimeout(1500);
  for (let i = 0; i < 3; i++) {
    log("open builder");
    await page.getByRole("button", { name: "+ Add widget" }).click();
    await page.locator("dialog[open] [data-template=map]").click();
    await page.locator("dialog[open] [data-testid=world-map] svg").waitFor();
    log("map drawn");
    await page.locator("dialog[open] button[data-visual=table]").click();
    await page.locator("dialog[open] table").waitFor();
    log("table");
    await page.locator("dialog[open] button[data-visual=map]").click();
    await page.locator("dialog[open] #w-name").fill("M" + i);
    await page.locator("dialog[open] [data-testid=world-map] svg").waitFor();
    log("map again");
    await page.waitForTimeout(600);
    await page.locator("dialog[open]").getByRole("button", { name: "Save widget" }).click();
    log("saved");
    await page.waitForTimeout(2000);
  }
};
