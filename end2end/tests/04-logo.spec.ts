import { test, expect } from "@playwright/test";
import { fillCompany, hydrated, mainNav, signInAsAdmin } from "./helpers";

// A customer's logo: uploaded on the company form, shown on its page and in the list; a file
// that is not an image is refused at the field.

// The smallest PNG: one transparent pixel.
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

test("a logo is uploaded with the company and shown on its page and in the list", async ({ page }) => {
  await signInAsAdmin(page);
  await page.getByRole("link", { name: "+ New Customer" }).click();
  await expect(page).toHaveURL(/\/customers\/new$/);
  await hydrated(page);
  await fillCompany(page, {
    "Company name": "Logo Roasters",
    Street: "5 Bean St",
    City: "Salem",
    "Postal code": "97301",
    Country: "United States",
  });

  await test.step("a PDF is refused as a logo", async () => {
    await page.getByLabel("Logo").setInputFiles({ name: "logo.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4") });
    await expect(page.getByRole("alert")).toContainText("only PNG, JPEG, SVG or WebP images are accepted");
  });

  await test.step("a PNG is uploaded and saved with the company", async () => {
    await page.getByLabel("Logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: png });
    await expect(page.getByText("Uploaded logo.png")).toBeVisible();
    await page.getByRole("button", { name: "Save and Continue" }).click();
    await expect(page).toHaveURL(/\/customers\/\d+\/setup\/2$/);
    await page.goto(page.url().replace(/\/setup\/2$/, ""));
    const logo = page.getByRole("img", { name: "Logo of Logo Roasters" });
    await expect(logo).toBeVisible();
    expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  });

  await test.step("the list shows it beside the name", async () => {
    await mainNav(page).getByRole("link", { name: "Customers" }).click();
    const row = page.getByRole("row", { name: /Logo Roasters/ });
    await expect(row.locator("img.logo")).toHaveAttribute("src", /^\/files\/[0-9a-f]{32}\/inline$/);
  });
});
