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

// A customer sourcing more locations than a page: its Locations tab pages and searches them, and
// its Document Requests tab pages the requests while "select all" reaches every page.
test("many locations and document requests page, and select all reaches every page", async ({ page }) => {
  await signInAsAdmin(page);
  const request = page.request;
  const customer = await createCustomer(request, "Quokka Quarries", "QQ-1");
  const types = await post(request, "documents/types", {});
  const haccp = String(types.find((t: { name: string }) => t.name === "HACCP Plan").id);
  const locations: string[] = [];
  for (let n = 0; n < 60; n++) {
    const name = `Mill ${String(n).padStart(2, "0")}`;
    locations.push(
      String(
        await post(request, "listings/locations/create", {
          "location[name]": name,
          "location[code]": `QM-${n}`,
          "location[street]": "1 Quarry Rd",
          "location[city]": "Bend",
          "location[region]": "",
          "location[postal_code]": "97701",
          "location[country]": "United States",
        }),
      ),
    );
  }
  const ids: Record<string, string> = { customer_id: customer, level: "location" };
  locations.forEach((id, n) => (ids[`ids[${n}]`] = id));
  await post(request, "requirements/add", ids);
  for (const id of locations) {
    await post(request, "requirements/set", {
      customer_id: customer,
      level: "location",
      listing_id: id,
      type_id: haccp,
      required: "true",
    });
  }

  await test.step("the Locations tab shows fifty at a time, searchable", async () => {
    await page.goto(`/customers/${customer}?tab=locations`);
    await hydrated(page);
    const sets = page.locator("fieldset.requirement-set");
    await expect(sets).toHaveCount(50);
    await expect(sets.first()).toContainText("Mill 00");
    await page.getByRole("navigation", { name: "Pages of locations" }).getByRole("button", { name: "Next" }).click();
    await expect(sets).toHaveCount(10);
    await expect(sets.last()).toContainText("Mill 59");
    const search = page.getByLabel("Search these 60 locations");
    await search.fill("qm-7");
    await search.press("Enter");
    await expect(sets).toHaveCount(1);
    await expect(sets.first()).toContainText("Mill 07");
  });

  // A current HACCP Plan for the last mill: its request, on the second page, is recommended.
  const uploaded = await request.post("/files?purpose=document&name=haccp.pdf", {
    data: Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
  });
  expect(uploaded.ok()).toBeTruthy();
  await post(request, "documents/add", {
    level: "location",
    owner_id: locations[59],
    "document[type_id]": haccp,
    "document[title]": "HACCP Mill 59",
    "document[effective_on]": new Date().toISOString().slice(0, 10),
    "document[expires_on]": new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10),
    "document[file_id]": (await uploaded.json()).id,
  });

  await test.step("the Document Requests tab pages; accepting and selecting reach every page", async () => {
    await page.goto(`/customers/${customer}?tab=requests`);
    await hydrated(page);
    const panel = page.locator("section.requests-panel");
    const rows = panel.locator("table.requests-list > tbody > tr");
    // Other tests may have made requirements defaults: the figures come from the server.
    const first = await post(request, "requests/of_customer", { customer_id: customer, page: "0" });
    const pages = Math.ceil(first.total / 50);
    expect(pages).toBeGreaterThan(1);
    await expect(panel.getByText(`${first.open} open, 0 ready to send, 1 with a recommendation.`)).toBeVisible();
    await expect(rows).toHaveCount(50);
    await expect(panel.getByText(`Page 1 of ${pages}`)).toBeVisible();
    await panel.getByRole("button", { name: "Accept all recommendations (1)" }).click();
    await expect(panel.getByText(`${first.open} open, 1 ready to send, 0 with a recommendation.`)).toBeVisible();
    await panel.getByLabel("Select all 1 ready to send, on every page").check();
    await expect(panel.getByText("1 selected")).toBeVisible();
    for (let n = 2; n <= pages; n++) {
      await panel.getByRole("button", { name: "Next" }).click();
      await expect(panel.getByText(`Page ${n} of ${pages}`)).toBeVisible();
    }
    await expect(rows).toHaveCount(first.total - 50 * (pages - 1));
    await expect(panel.getByLabel("Select HACCP Plan for Mill 59")).toBeChecked();
  });
});

// A long-served account's notes: fifty at a time, newest first, and the older ones a page on.
test("many notes come a page at a time, newest first", async ({ page }) => {
  await signInAsAdmin(page);
  const request = page.request;
  const customer = await createCustomer(request, "Numbat Noodles", "NN-1");
  for (let n = 1; n <= 55; n++) {
    await post(request, "notes/add", { customer_id: customer, body: `Call ${String(n).padStart(2, "0")}` });
  }
  await page.goto(`/customers/${customer}?tab=notes`);
  await hydrated(page);
  const notes = page.locator("ul.note-list > li");
  await expect(notes).toHaveCount(50);
  await expect(notes.first()).toContainText("Call 55");
  await page.getByRole("navigation", { name: "Pages of notes" }).getByRole("button", { name: "Next" }).click();
  await expect(notes).toHaveCount(5);
  await expect(notes.first()).toContainText("Call 05");
  await expect(notes.last()).toContainText("Call 01");
  await page.getByRole("navigation", { name: "Pages of notes" }).getByRole("button", { name: "Previous" }).click();
  await expect(notes).toHaveCount(50);
  await expect(notes.first()).toContainText("Call 55");
});
