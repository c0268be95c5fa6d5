// Times the portal's catalog page in Chromium, from navigation to a page that answers input
// (hydrated): `node bench/portal-hydration.mjs <page url> <email> <password> [loads]`.
// Run by `make bench-portal` against a release build; prints the median and worst.
import { chromium } from "@playwright/test";

const [url, email, password, loadsArg] = process.argv.slice(2);
const loads = Number(loadsArg ?? "5");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
const context = await browser.newContext();
const origin = new URL(url).origin;
const signedIn = await context.request.post(`${origin}/api/shared/sign_in`, { form: { email, password } });
if (!signedIn.ok()) throw new Error(`sign-in failed: ${signedIn.status()}`);
const page = await context.newPage();
const times = [];
for (let i = 0; i < loads + 1; i++) {
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 120_000 });
  const ms = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return { hydrated: performance.now(), contentLoaded: nav.domContentLoadedEventEnd };
  });
  if (i > 0) times.push(ms); // the first load warms the cache
}
await browser.close();
const median = (key) => times.map((t) => t[key]).sort((a, b) => a - b)[Math.floor(times.length / 2)];
const worst = (key) => Math.max(...times.map((t) => t[key]));
console.log(
  `  in Chromium: HTML parsed ${median("contentLoaded").toFixed(0)} ms, ` +
    `hydrated (answers input) median ${median("hydrated").toFixed(0)} ms, worst ${worst("hydrated").toFixed(0)} ms, ` +
    `over ${times.length} loads`,
);
