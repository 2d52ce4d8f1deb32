import type { Page } from "playwright-core";
export default async (page: Page, url: string, token: string) => {
  const list = await (await fetch(`${url}/api/v1/dashboards`, { headers: { authorization: `Bearer ${token}` } })).json();
  const id = list.dashboards[0].id;
  await page.goto(`${url}/boards/${id}?edit=1`);
  await page.waitForTimeout(3000);
  console.log(await page.evaluate(`(() => { const g = document.querySelector('.react-grid-layout'); const r = g.getBoundingClientRect(); return { g: JSON.stringify(r), cw: document.documentElement.clientWidth, items: [...document.querySelectorAll('[data-testid=grid-item]')].map(i => [i.getAttribute('style'), JSON.stringify(i.getBoundingClientRect())]) } })()`));
};
