import { test, expect } from "@playwright/test";
import { fillCompany, hydrated, signIn, signInAsAdmin } from "./helpers";

const staff = { name: "Sam Staff", email: "sam@supplier.example", password: "staff password 123" };

test("an Admin adds a Staff user, who works with customers but cannot restore them", async ({ page, browser }) => {
  await test.step("Settings → Users adds a user, checking fields as they are left", async () => {
    await signInAsAdmin(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings", exact: true }).click();
    await page.getByRole("link", { name: "Users" }).click();
    await expect(page).toHaveURL(/\/settings\/users$/);
    await hydrated(page);
    await page.getByLabel("Name", { exact: true }).fill(staff.name);
    await page.getByLabel("Email").fill("sam@");
    await page.getByLabel("Password").focus();
    await expect(page.locator("#email-message")).toHaveText("'sam@' is not an email address.");
    await page.getByLabel("Email").fill(staff.email);
    await page.getByLabel("Password").fill(staff.password);
    await page.getByLabel("Role", { exact: true }).selectOption("staff");
    await page.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByRole("status")).toHaveText("User added.");
    await expect(page.getByRole("cell", { name: staff.email })).toBeVisible();
    await expect(page.getByLabel(`Role of ${staff.name}`)).toHaveValue("staff");
  });

  await test.step("the Staff user signs in, deletes a customer, and may not restore it", async () => {
    const context = await browser.newContext();
    const staffPage = await context.newPage();
    await signIn(staffPage, staff.email, staff.password);
    await staffPage.getByRole("link", { name: "+ New Customer" }).click();
    await hydrated(staffPage);
    await fillCompany(staffPage, {
      "Company name": "Bean There Café",
      Street: "5 Harbour Way",
      City: "Auckland",
      "Postal code": "1010",
      Country: "New Zealand",
    });
    await staffPage.getByRole("button", { name: "Save and Continue" }).click();
    await expect(staffPage).toHaveURL(/\/customers\/\d+\/setup\/2$/);
    await staffPage.goto(staffPage.url().replace(/\/setup\/2$/, ""));
    await expect(staffPage.getByRole("heading", { name: "Bean There Café" })).toBeVisible();
    await hydrated(staffPage);
    await staffPage.getByRole("button", { name: "Delete customer" }).click();
    await staffPage.getByRole("button", { name: "Move to Trash" }).click();
    await expect(staffPage).toHaveURL(/\/customers$/);
    await staffPage.goto("/customers/trash");
    await expect(staffPage.getByRole("cell", { name: "Bean There Café" })).toBeVisible();
    await expect(staffPage.getByText("Only an Admin can restore customers.")).toBeVisible();
    await expect(staffPage.getByRole("button", { name: "Restore Bean There Café" })).toHaveCount(0);
    await context.close();
  });

  await test.step("making them Admin lets them restore", async () => {
    await page.getByLabel(`Role of ${staff.name}`).selectOption("admin");
    await expect(page.getByLabel(`Role of ${staff.name}`)).toHaveValue("admin");
    const context = await browser.newContext();
    const samPage = await context.newPage();
    await signIn(samPage, staff.email, staff.password);
    await samPage.goto("/customers/trash");
    await hydrated(samPage);
    await samPage.getByRole("button", { name: "Restore Bean There Café" }).click();
    await expect(samPage.getByRole("status")).toContainText("Restored");
    await context.close();
  });
});
