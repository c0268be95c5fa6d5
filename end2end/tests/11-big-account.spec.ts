import { test, expect } from "@playwright/test";
import { createCustomer, hydrated, post, signInAsAdmin } from "./helpers";

// A customer with more contacts than a page: the Contacts page, the customer's Contacts tab and
// the customers list find them by any part of a name, ignoring accents, and page through them.

test("many contacts page and search, accents ignored, on the Contacts page, the tab and the list", async ({ page }) => {
  await signInAsAdmin(page);
  const customer = await createCustomer(page.request, "Wombat Wholesale", "WW-1");
  const contact = (first: string, last: string, email: string) =>
    post(page.request, "contacts/create", {
      customer_id: customer,
      "contact[first_name]": first,
      "contact[last_name]": last,
      "contact[email]": email,
      "contact[phone]": "",
      "contact[job_title]": "",
    });
  for (let n = 1; n <= 59; n++) {
    await contact("Bea", `Bulk${String(n).padStart(3, "0")}`, `bea${n}@wombat.example`);
  }
  await contact("Zoë", "Müller", "zoe.mueller@wombat.example");

  await test.step("the Contacts page finds 'zoe muller' and pages with Next and Previous", async () => {
    await page.goto("/contacts?q=zoe+muller");
    await hydrated(page);
    await expect(page.getByRole("link", { name: "Zoë Müller" })).toBeVisible();
    await page.goto("/contacts?q=wombat");
    await hydrated(page);
    const rows = page.locator("table.list tbody tr");
    await expect(rows).toHaveCount(50);
    await page.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/after=\d+/);
    await expect(rows).toHaveCount(10);
    await expect(page.getByRole("link", { name: "Zoë Müller" })).toBeVisible();
    await page.getByRole("link", { name: "Previous" }).click();
    await expect(rows).toHaveCount(50);
    await expect(rows.first()).toContainText("Bea Bulk001");
  });

  await test.step("the customer's Contacts tab shows a page at a time, searchable", async () => {
    await page.goto(`/customers/${customer}?tab=contacts`);
    await hydrated(page);
    const panel = page.locator("section.contacts-panel");
    const rows = panel.locator("table.contacts-list > tbody > tr");
    await expect(rows).toHaveCount(50);
    await panel.getByRole("button", { name: "Next" }).click();
    await expect(rows).toHaveCount(10);
    await panel.getByRole("button", { name: "Previous" }).click();
    await expect(rows).toHaveCount(50);
    const search = panel.getByLabel("Search these 60 contacts");
    await search.fill("müller");
    await search.press("Enter");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Zoë Müller");
  });

  await test.step("the customers list finds the customer by its contact", async () => {
    await page.goto("/customers?q=zoe+mueller%40wombat");
    await hydrated(page);
    await expect(page.getByRole("link", { name: "Wombat Wholesale" })).toBeVisible();
  });
});
