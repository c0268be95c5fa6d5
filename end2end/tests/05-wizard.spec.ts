import { expect, test } from "@playwright/test";
import { fillCompany, hydrated, signInAsAdmin } from "./helpers";
import { SmtpSink, smtpPort } from "./smtp-sink";

const sink = new SmtpSink();
test.beforeAll(async () => sink.listen(smtpPort));
test.afterAll(async () => sink.close());

const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

test("the New Customer wizard through its five steps, with a refresh in the middle, to the contact's download", async ({
  page,
  browser,
}) => {
  await signInAsAdmin(page);

  await test.step("a location with a current HACCP Plan exists in Listings", async () => {
    const created = await page.request.post("/api/listings/locations/create", {
      form: {
        "location[name]": "Wizard Plant",
        "location[code]": "WZ-1",
        "location[street]": "1 Mill Rd",
        "location[city]": "Eugene",
        "location[region]": "",
        "location[postal_code]": "97401",
        "location[country]": "United States",
      },
    });
    expect(created.ok()).toBeTruthy();
    const locationId = String(await created.json());
    const uploaded = await page.request.post("/files?purpose=document&name=haccp.pdf", { data: pdf });
    expect(uploaded.ok()).toBeTruthy();
    const file = await uploaded.json();
    const types = await (await page.request.post("/api/documents/types", { form: {} })).json();
    const haccp = types.find((t: { name: string }) => t.name === "HACCP Plan");
    const added = await page.request.post("/api/documents/add", {
      form: {
        level: "location",
        owner_id: locationId,
        "document[type_id]": String(haccp.id),
        "document[title]": "HACCP Wizard Plant",
        "document[effective_on]": new Date().toISOString().slice(0, 10),
        "document[expires_on]": new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10),
        "document[file_id]": file.id,
      },
    });
    expect(added.ok(), await added.text()).toBeTruthy();
  });

  await test.step("1. Company: Save and Continue", async () => {
    await page.getByRole("link", { name: "+ New Customer" }).click();
    await hydrated(page);
    await fillCompany(page, {
      "Company name": "Wizard Coffee",
      Street: "9 Roast Ave",
      City: "Eugene",
      "Postal code": "97401",
      Country: "United States",
    });
    await page.getByRole("button", { name: "Save and Continue" }).click();
    await expect(page).toHaveURL(/\/customers\/\d+\/setup\/2$/);
  });

  await test.step("2. Contacts: create one and make them the Documents Contact", async () => {
    await hydrated(page);
    await page.getByRole("button", { name: "+ Add Contacts" }).click();
    await page.getByLabel("First name").fill("Wendy");
    await page.getByLabel("Last name").fill("Brew");
    await page.getByLabel("Email").fill("wendy@wizard.example");
    await page.getByRole("button", { name: "Create Contact" }).click();
    await expect(page.getByRole("cell", { name: "wendy@wizard.example" })).toBeVisible();
    await page.getByLabel("Documents Contact: Wendy Brew").check();
    await expect(page.getByText("Tick \"Documents Contact\" for at least one contact")).toHaveCount(0);
  });

  await test.step("a refresh loses nothing", async () => {
    await page.reload();
    await hydrated(page);
    await expect(page.getByRole("cell", { name: "wendy@wizard.example" })).toBeVisible();
    await expect(page.getByLabel("Documents Contact: Wendy Brew")).toBeChecked();
  });

  await test.step("the list shows the unfinished customer as a Draft that resumes the wizard", async () => {
    const wizardUrl = page.url();
    await page.goto("/customers?q=Wizard+Coffee");
    const row = page.getByRole("row", { name: /Wizard Coffee/ });
    await expect(row.getByText("Draft")).toBeVisible();
    await row.getByRole("link", { name: "Wizard Coffee" }).click();
    await expect(page).toHaveURL(wizardUrl);
    await hydrated(page);
  });

  await test.step("3. Locations: add one; its requirements can be ticked", async () => {
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page).toHaveURL(/\/setup\/3$/);
    await page.getByRole("button", { name: "+ Add Locations" }).click();
    await page.getByLabel("Search locations").fill("Wizard");
    await page.getByLabel("Wizard Plant (WZ-1)").check();
    await page.getByRole("button", { name: "Add selected (1)" }).click();
    await expect(page.getByRole("group", { name: /Wizard Plant/ })).toBeVisible();
    await page.getByRole("group", { name: /Wizard Plant/ }).getByLabel("HACCP Plan").check();
    await expect(page.getByRole("group", { name: /Wizard Plant/ }).getByLabel("HACCP Plan")).toBeChecked();
  });

  await test.step("4. Items: none needed here", async () => {
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page).toHaveURL(/\/setup\/4$/);
    await expect(page.getByRole("button", { name: "+ Add Items" })).toBeVisible();
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page).toHaveURL(/\/setup\/5$/);
  });

  await test.step("5. Documents: accept the PostOnce recommendation and send it", async () => {
    await hydrated(page);
    await page.getByRole("button", { name: "View Recommendations" }).click();
    await expect(page.getByText("HACCP Wizard Plant")).toBeVisible();
    await page.getByRole("button", { name: "Accept all recommendations (1)" }).click();
    await expect(page.getByText("Fulfilled")).toBeVisible();
    await page.getByLabel("Select HACCP Plan for Wizard Plant").check();
    await page.getByRole("button", { name: "Send Selected Documents" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Sent 1 document" })).toContainText("1 email queued");
    await page.getByRole("button", { name: "Finish" }).click();
    await expect(page).toHaveURL(/\/customers\/\d+$/);
  });

  await test.step("the customer's Messages tab lists the email", async () => {
    await page.getByRole("link", { name: "Messages" }).click();
    await expect(page.getByRole("cell", { name: "Wendy Brew <wendy@wizard.example>" })).toBeVisible();
    await expect(page.getByText("1 document shared with Wizard Coffee")).toBeVisible();
  });

  await test.step("the contact follows the emailed link, makes an account and downloads the document", async () => {
    const email = await sink.waitFor("wendy@wizard.example");
    expect(email).toContain("Subject: 1 document shared with Wizard Coffee");
    const link = email.match(/http:\/\/[^\s"<]+\/shared\/link\/[0-9a-f]+/)?.[0];
    expect(link).toBeTruthy();
    const context = await browser.newContext();
    const contact = await context.newPage();
    await contact.goto(link!);
    await hydrated(contact);
    await expect(contact.getByRole("heading", { name: "Welcome, Wendy" })).toBeVisible();
    await contact.getByLabel("Password", { exact: true }).fill("wendy's long password");
    await contact.getByLabel("Confirm password").fill("wendy's long password");
    await contact.getByRole("button", { name: "Create account" }).click();
    await expect(contact).toHaveURL(/\/shared$/);
    await expect(contact.getByRole("heading", { name: "Wizard Coffee" })).toBeVisible();
    await expect(contact.getByRole("cell", { name: "HACCP Wizard Plant", exact: true })).toBeVisible();
    const download = contact.waitForEvent("download");
    await contact.getByRole("link", { name: /Download HACCP Wizard Plant/ }).click();
    expect((await download).suggestedFilename()).toBe("haccp.pdf");
    await context.close();
  });

  await test.step("staff see the download on the request", async () => {
    await page.getByRole("link", { name: "Document Requests" }).click();
    await expect(page.getByRole("cell", { name: /1× · last by Wendy Brew/ })).toBeVisible();
  });
});
