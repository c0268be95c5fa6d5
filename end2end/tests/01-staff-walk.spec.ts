import { test, expect } from "@playwright/test";
import { admin, fillCompany, hydrated, mainNav } from "./helpers";

// One walk through the foundation, in the order a new supplier meets it. The steps share the
// database, so they run in sequence in one test, each step named.

test("first run, sign in, customers from creation to Trash and back, sign out", async ({ page, browser }) => {
  await test.step("every page leads to first-run setup", async () => {
    await page.goto("/customers");
    await expect(page).toHaveURL(/\/setup$/);
    await hydrated(page);
  });

  await test.step("setup explains a bad field next to it and stores nothing", async () => {
    await page.getByLabel("Your name").fill(admin.name);
    await page.getByLabel("Email").fill("ada@");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create Admin account" }).click();
    await expect(page.locator("#email-message")).toHaveText("'ada@' is not an email address.");
    await expect(page.locator("#password-message")).toContainText("at least 10 characters");
  });

  await test.step("setup creates the first Admin and signs them in", async () => {
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Create Admin account" }).click();
    await expect(page).toHaveURL(/\/customers$/);
    await expect(page.getByRole("heading", { name: "Customers" })).toBeVisible();
  });

  await test.step("sign out, then a wrong password is refused and the right one signs in", async () => {
    await hydrated(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await hydrated(page);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toContainText("do not match an account");
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/customers$/);
  });

  await test.step("a new customer with a bad phone is refused at the field", async () => {
    await hydrated(page);
    await page.getByRole("link", { name: "+ New Customer" }).click();
    await expect(page).toHaveURL(/\/customers\/new$/);
    await fillCompany(page, {
      "Company name": "Coffee Uptown",
      "Account number": "ACC-9001",
      Street: "1 Main St",
      City: "Portland",
      "Region / State": "OR",
      "Postal code": "97201",
      Country: "United States",
      Phone: "call us",
    });
    await page.getByRole("button", { name: "Save and Continue" }).click();
    await expect(page.locator("#company-phone-message")).toContainText("is not a phone number");
    await expect(page).toHaveURL(/\/customers\/new$/);
  });

  await test.step("Save and Continue moves on to the wizard's Contacts step; Finish opens the customer's page", async () => {
    await page.getByLabel("Phone", { exact: true }).fill("+1 503 555 0100");
    await page.getByRole("button", { name: "Save and Continue" }).click();
    await expect(page).toHaveURL(/\/customers\/\d+\/setup\/2$/);
    await expect(page.getByRole("heading", { name: "New Customer: Coffee Uptown" })).toBeVisible();
    await page.getByRole("link", { name: "5. Documents" }).click();
    await hydrated(page);
    await page.getByRole("button", { name: "Finish" }).click();
    await expect(page).toHaveURL(/\/customers\/\d+$/);
    await expect(page.getByRole("heading", { name: "Coffee Uptown" })).toBeVisible();
  });

  await test.step("the list finds it by search, and the URL keeps the search", async () => {
    await mainNav(page).getByRole("link", { name: "Customers" }).click();
    await hydrated(page);
    await page.getByLabel("Search").fill("uptown");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/q=uptown/);
    await expect(page.getByRole("link", { name: "Coffee Uptown" })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Search")).toHaveValue("uptown");
    await expect(page.getByRole("link", { name: "Coffee Uptown" })).toBeVisible();
    await page.getByLabel("Search").fill("no such customer");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByText("No customers match this search.")).toBeVisible();
  });

  let customerUrl = "";
  await test.step("edit it", async () => {
    await page.goto("/customers?q=uptown");
    await page.getByRole("link", { name: "Coffee Uptown" }).click();
    await expect(page).toHaveURL(/\/customers\/\d+$/);
    customerUrl = page.url();
    await hydrated(page);
    await page.getByLabel("City").fill("Beaverton");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText("Saved.");
    await page.reload();
    await expect(page.getByLabel("City")).toHaveValue("Beaverton");
  });

  await test.step("a conflicting edit is reported and shows the other save", async () => {
    const other = await page.context().newPage();
    await other.goto(customerUrl);
    await hydrated(other);
    await page.reload();
    await hydrated(page);
    await other.getByLabel("Phone", { exact: true }).fill("+1 503 555 0199");
    await other.getByRole("button", { name: "Save", exact: true }).click();
    await expect(other.getByRole("status")).toHaveText("Saved.");
    await page.getByLabel("Phone", { exact: true }).fill("+1 503 555 0123");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("alert")).toContainText("Someone else saved this customer");
    await expect(page.getByLabel("Phone", { exact: true })).toHaveValue("+1 503 555 0199");
    await other.close();
  });

  await test.step("delete it: it leaves the list for the Trash", async () => {
    await page.getByRole("button", { name: "Delete customer" }).click();
    await page.getByRole("button", { name: "Move to Trash" }).click();
    await expect(page).toHaveURL(/\/customers$/);
    await expect(page.getByRole("link", { name: "Coffee Uptown" })).toHaveCount(0);
  });

  await test.step("restore it from the Trash", async () => {
    await page.getByRole("link", { name: "Trash" }).click();
    await hydrated(page);
    await page.getByRole("button", { name: "Restore Coffee Uptown" }).click();
    await expect(page.getByRole("status")).toContainText("Restored");
    await mainNav(page).getByRole("link", { name: "Customers" }).click();
    await expect(page.getByRole("link", { name: "Coffee Uptown" })).toBeVisible();
  });

  await test.step("bulk delete from the list", async () => {
    await hydrated(page);
    await page.getByRole("checkbox", { name: "Select Coffee Uptown" }).check();
    await page.getByRole("button", { name: "Delete selected" }).click();
    await page.getByRole("button", { name: "Move to Trash" }).click();
    await expect(page.getByRole("status")).toContainText("Moved 1 customer to the");
    await expect(page.getByRole("link", { name: "Coffee Uptown" })).toHaveCount(0);
  });

  await test.step("sign out ends the session", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/customers");
    await expect(page).toHaveURL(/\/login\?next=%2Fcustomers|\/login\?next=\/customers/);
  });

  await test.step("a fresh browser has no session", async () => {
    const fresh = await browser.newPage();
    await fresh.goto("/customers/trash");
    await expect(fresh).toHaveURL(/\/login/);
    await fresh.close();
  });
});
