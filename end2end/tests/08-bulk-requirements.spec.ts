import { expect, test } from "@playwright/test";
import { hydrated, post, signInAsAdmin } from "./helpers";

test("Bulk Configure Customer Requirements: the customers of a search, then a type, then Apply", async ({ page }) => {
  await signInAsAdmin(page);
  const request = page.request;
  const location = await post(request, "listings/locations/create", {
    "location[name]": "Bulk Plant",
    "location[code]": "BP-1",
    "location[street]": "1 Mill Rd",
    "location[city]": "Eugene",
    "location[region]": "",
    "location[postal_code]": "97401",
    "location[country]": "United States",
  });
  const customers: number[] = [];
  for (const n of [1, 2]) {
    const id = await post(request, "customers/create", {
      "company[name]": `Bulk E2E ${n}`,
      "company[account_number]": `BULK-E2E-${n}`,
      "company[street]": "1 Main St",
      "company[city]": "Portland",
      "company[region]": "OR",
      "company[postal_code]": "97201",
      "company[country]": "United States",
      "company[phone]": "",
      "company[website]": "",
    });
    await post(request, "requirements/add", { customer_id: String(id), level: "location", "ids[0]": String(location) });
    customers.push(id);
  }

  await page.goto("/share-settings/bulk-requirements");
  await hydrated(page);
  await page.getByLabel("Search customers").fill("Bulk E2E");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("All 2 matching customers")).toBeVisible();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("HACCP Plan").check();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText("Add 1 document type(s) to the locations and items of 2 customer(s).")).toBeVisible();
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status")).toContainText("Done: 2 requirement(s) added for 2 customer(s).");

  for (const id of customers) {
    const sourced = await post(request, "requirements/sourced", { customer_id: String(id), level: "location" });
    const haccp = sourced.rows[0].requirements.find((r: { type_name: string }) => r.type_name === "HACCP Plan");
    expect(haccp.required).toBe(true);
  }
});
