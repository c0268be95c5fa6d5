import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { hydrated, signInAsAdmin } from "./helpers";

const header = [
  "Company name (required)", "Account number", "Street (required)", "City (required)", "Region",
  "Postal code (required)", "Country (required)", "Phone", "Website", "Contact first name",
  "Contact last name", "Contact email", "Contact phone",
];

function row(n: number, email = `buyer${n}@e2e-import.example`, postal = "97201"): string[] {
  return [`E2E Import ${n}`, `E2E-${n}`, `${n} Upload Street`, "Portland", "OR", postal, "United States", "", "",
    "Pat", `Buyer${n}`, email, ""];
}

/** A filled file as Excel saves "CSV UTF-8" in Europe: byte order mark, semicolons, CRLF. */
function filledFile(rows: string[][]): Buffer {
  const lines = [header, ...rows].map((cells) => cells.map((c) => (/[;"\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(";"));
  return Buffer.from("\ufeff" + lines.join("\r\n") + "\r\n", "utf8");
}

test("customers import: template, upload with two bad rows, errors, import the good rows, find them", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/customers");
  await hydrated(page);

  await test.step("Actions → Get Excel template downloads an xlsx workbook", async () => {
    await page.getByText("Actions", { exact: true }).click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Get Excel template" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("clientele-customers-template.xlsx");
    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(0, 2).toString()).toBe("PK");
  });

  await test.step("Upload Customers: the preview lists the two bad rows by row and column", async () => {
    await page.getByRole("link", { name: "Upload Customers" }).click();
    await expect(page).toHaveURL(/\/customers\/import$/);
    await hydrated(page);
    const rows = [row(1), row(2), row(3, "jo@"), row(4), row(5, undefined, ""), row(6), row(7)];
    await page.getByLabel("Spreadsheet to import").setInputFiles({
      name: "customers.csv",
      mimeType: "text/csv",
      buffer: filledFile(rows),
    });
    await expect(page.getByRole("heading", { name: "Preview of 'customers.csv'" })).toBeVisible();
    await expect(page).toHaveURL(/\/customers\/import\?upload=\d+$/);
    await expect(page.getByText("2 rows with problems")).toBeVisible();
    await expect(page.getByText("5 new customers would be created")).toBeVisible();
    const problems = page.locator("table.problems tbody tr");
    await expect(problems).toHaveCount(2);
    await expect(problems.nth(0)).toContainText("4Contact email'jo@' is not an email address.");
    await expect(problems.nth(1)).toContainText("6Postal codeempty, but required.");
    if (process.env.SCREENSHOTS) await page.screenshot({ path: "screenshots/import-preview.png", fullPage: true });
    const [errors] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download the rows with problems (xlsx)" }).click(),
    ]);
    expect(errors.suggestedFilename()).toBe("customers - errors.xlsx");
  });

  await test.step("Import refuses while bad rows are in; leaving them out imports the rest", async () => {
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await expect(page.getByRole("alert")).toContainText("Nothing was imported: 2 rows have problems");
    await page.getByLabel("Import the good rows and leave out the rows with problems").check();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await expect(page.getByText("Imported 'customers.csv'.")).toBeVisible();
    await expect(page.getByText("5 customers created")).toBeVisible();
    await expect(page.getByText("2 rows with problems left out")).toBeVisible();
  });

  await test.step("a refresh keeps the result, and the customers are in the list", async () => {
    await page.reload();
    await expect(page.getByText("Imported 'customers.csv'.")).toBeVisible();
    await page.getByRole("link", { name: "View customers" }).click();
    await hydrated(page);
    await page.getByLabel("Search").fill("E2E Import");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.locator("table tbody tr")).toHaveCount(5);
    await expect(page.getByRole("link", { name: "E2E Import 1", exact: true })).toBeVisible();
  });
});
