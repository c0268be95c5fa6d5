import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { hydrated, mainNav, signInAsAdmin } from "./helpers";

// A supplier sets up what it shares before adding customers: a location and an item, a custom
// document type, the default requirements, then a document uploaded, listed and downloaded.

const pdf = Buffer.from(
  "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% kosher certificate 2026\n" +
    "trailer << /Root 1 0 R >>\n%%EOF\n",
);

function isoDay(offsetDays: number): string {
  const day = new Date(Date.now() + offsetDays * 86_400_000);
  return day.toISOString().slice(0, 10);
}

test("locations, items, document types, requirements and a document from upload to download", async ({ page }) => {
  await signInAsAdmin(page);

  await test.step("a location is created from Listings", async () => {
    await mainNav(page).getByRole("link", { name: "Locations" }).click();
    await expect(page.getByRole("heading", { name: "Locations" })).toBeVisible();
    await hydrated(page);
    await page.getByRole("link", { name: "+ New Location" }).click();
    await expect(page).toHaveURL(/\/listings\/locations\/new$/);
    await page.getByLabel("Location name").fill("Portland Roastery");
    await page.getByLabel("Internal code").fill("PDX-1");
    await page.getByLabel("Street").fill("200 Industrial Way");
    await page.getByLabel("City").fill("Portland");
    await page.getByLabel("Postal code").fill("97210");
    await page.getByLabel("Country").fill("United States");
    await page.getByRole("button", { name: "Save Location" }).click();
    await expect(page).toHaveURL(/\/listings\/locations\/\d+$/);
    await expect(page.getByRole("heading", { name: "Portland Roastery" })).toBeVisible();
  });
  const locationUrl = page.url();

  await test.step("an item is created, produced at that location, with a bad price refused first", async () => {
    await mainNav(page).getByRole("link", { name: "Items" }).click();
    await hydrated(page);
    await page.getByRole("link", { name: "+ New Item" }).click();
    await expect(page).toHaveURL(/\/listings\/items\/new$/);
    await page.getByLabel("SKU").fill("CB-001");
    await page.getByLabel("Item name").fill("Colombia Beans 1kg");
    await page.getByLabel("Unit price").fill("18.999");
    await page.getByLabel("Portland Roastery").check();
    await page.getByRole("button", { name: "Save Item" }).click();
    await expect(page.locator("#item-unit_price-message")).toHaveText("Unit price has at most two decimals (cents).");
    await page.getByLabel("Unit price").fill("18.90");
    await page.getByRole("button", { name: "Save Item" }).click();
    await expect(page).toHaveURL(/\/listings\/items\/\d+$/);
    await expect(page.getByRole("heading", { name: "Colombia Beans 1kg · CB-001" })).toBeVisible();
    await expect(page.getByLabel("Portland Roastery")).toBeChecked();
  });

  await test.step("an Admin adds a custom location-level document type", async () => {
    await mainNav(page).getByRole("link", { name: "Share Settings" }).click();
    await hydrated(page);
    await expect(page.getByRole("row", { name: /HACCP Plan/ })).toContainText("Built-in");
    await page.getByLabel("Name", { exact: true }).fill("Kosher Certificate");
    await page.getByLabel("Level").selectOption("location");
    await page.getByLabel("Valid for (days)").fill("365");
    await page.getByRole("button", { name: "Add Document Type" }).click();
    await expect(page.getByRole("row", { name: /Kosher Certificate/ })).toContainText("365 days");
  });

  await test.step("the type's validity is edited", async () => {
    await page.getByRole("button", { name: "Edit Kosher Certificate" }).click();
    const form = page.getByRole("form", { name: "Edit Kosher Certificate" });
    await form.getByLabel("Valid for (days)").fill("400");
    await form.getByRole("button", { name: "Save Document Type" }).click();
    await expect(form).toBeHidden();
    await expect(page.getByRole("row", { name: /Kosher Certificate/ })).toContainText("400 days");
  });

  await test.step("default requirements are ticked and kept", async () => {
    await page.getByRole("link", { name: "Customer Doc Requirements" }).click();
    await expect(page).toHaveURL(/\/share-settings\/requirements$/);
    await hydrated(page);
    await page.getByLabel("Kosher Certificate").check();
    await page.getByLabel("Specification Sheet").check();
    await page.getByRole("button", { name: "Save Requirements" }).click();
    await expect(page.getByRole("status")).toHaveText("Default requirements saved.");
    await page.reload();
    await hydrated(page);
    await expect(page.getByLabel("Kosher Certificate")).toBeChecked();
    await expect(page.getByLabel("Specification Sheet")).toBeChecked();
    await expect(page.getByLabel("HACCP Plan")).not.toBeChecked();
  });

  await test.step("a file of the wrong kind is refused before it is sent", async () => {
    await page.goto(locationUrl);
    await hydrated(page);
    await page.getByLabel("Document type").selectOption({ label: "Kosher Certificate" });
    await page.getByLabel("File", { exact: true }).setInputFiles({
      name: "setup.exe",
      mimeType: "application/octet-stream",
      buffer: Buffer.from("MZ"),
    });
    await expect(page.getByRole("alert")).toContainText("'setup.exe' cannot be uploaded here");
    await expect(page.getByRole("button", { name: "Add Document" })).toBeDisabled();
  });

  await test.step("a PDF is uploaded with progress, stored and listed as valid", async () => {
    await page.getByLabel("File", { exact: true }).setInputFiles({
      name: "Kosher 2026.pdf",
      mimeType: "application/pdf",
      buffer: pdf,
    });
    await expect(page.getByText("Uploaded Kosher 2026.pdf")).toBeVisible();
    await expect(page.getByLabel("Title")).toHaveValue("Kosher 2026");
    await expect(page.getByLabel("Effective date")).toHaveValue(isoDay(0));
    await expect(page.getByLabel("Expiry date")).toHaveValue(isoDay(400));
    await page.getByRole("button", { name: "Add Document" }).click();
    await expect(page.getByRole("status")).toHaveText("Document stored.");
    const row = page.getByRole("row", { name: /Kosher Certificate/ });
    await expect(row).toContainText("Kosher 2026");
    await expect(row).toContainText("Valid");
  });

  await test.step("the document downloads with its name and the same bytes", async () => {
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: /Download Kosher 2026.pdf/ }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("Kosher 2026.pdf");
    const saved = await download.path();
    expect(Buffer.compare(readFileSync(saved), pdf)).toBe(0);
  });

  await test.step("a file over 25 MB is refused before it is sent", async () => {
    const uploads: string[] = [];
    const onRequest = (request: import("@playwright/test").Request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname === "/files") uploads.push(request.url());
    };
    page.on("request", onRequest);
    await page.getByLabel("File", { exact: true }).setInputFiles({
      name: "huge.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.concat([pdf, Buffer.alloc(25 * 1024 * 1024)]),
    });
    await expect(page.getByRole("alert")).toContainText("'huge.pdf' is larger than 25 MB");
    page.off("request", onRequest);
    expect(uploads).toEqual([]);
  });

  await test.step("a large upload shows its progress, and its new version keeps the old one", async () => {
    // A slow uplink (4 MB/s) makes the progress visible.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 4 * 1024 * 1024,
    });
    await page.getByLabel("Title").fill("");
    await page.getByLabel("File", { exact: true }).setInputFiles({
      name: "Kosher 2026 signed.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.concat([pdf, Buffer.alloc(12 * 1024 * 1024, 0x20)]),
    });
    const progress = page.getByRole("progressbar", { name: "Uploading Kosher 2026 signed.pdf" });
    await expect(progress).toBeVisible();
    await expect(page.getByText(/Uploading Kosher 2026 signed\.pdf: \d+% \(/)).toBeVisible();
    await expect(page.getByText("Uploaded Kosher 2026 signed.pdf")).toBeVisible({ timeout: 30_000 });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await page.getByRole("button", { name: "Add Document" }).click();
    await expect(page.getByRole("status")).toHaveText("Document stored.");
    await expect(page.getByRole("row", { name: /Kosher Certificate/ })).toContainText("Kosher 2026 signed");
    await page.getByText("Previous versions (1)").click();
    const previous = page.getByRole("table", { name: "Previous versions" });
    await expect(previous).toContainText("Kosher 2026.pdf");
    await expect(previous).not.toContainText("signed");
    await expect(previous).toContainText("replaced");
  });

  await test.step("a location in use cannot be deleted, and says where it is used", async () => {
    await page.getByRole("button", { name: "Delete location" }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(page.getByRole("alert")).toContainText("cannot be deleted while it is in use");
    await expect(page.getByRole("alert")).toContainText("Colombia Beans 1kg");
    await expect(page.getByRole("alert")).toContainText("Kosher Certificate: Kosher 2026");
  });
});
