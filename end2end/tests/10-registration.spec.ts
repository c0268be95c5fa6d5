import { expect, test } from "@playwright/test";
import { hydrated, signInAsAdmin } from "./helpers";
import { SmtpSink, smtpPort } from "./smtp-sink";

const sink = new SmtpSink();
test.beforeAll(async () => sink.listen(smtpPort));
test.afterAll(async () => sink.close());

const visitorEmail = "rae@fresh-start.example";
const visitorPassword = "a long visitor password";

test("with personal accounts disallowed, a visitor registers a business, confirms the email and is approved", async ({
  page,
  browser,
}) => {
  await signInAsAdmin(page);
  await test.step("an Admin allows registration, for businesses only", async () => {
    await page.goto("/settings");
    await hydrated(page);
    await page.getByLabel("Allow Personal Account Registration").selectOption("no");
    await page.getByLabel("Allow Customer Registration").check();
    await page.reload();
    await hydrated(page);
    await expect(page.getByLabel("Allow Customer Registration")).toBeChecked();
    await expect(page.getByLabel("Allow Personal Account Registration")).toHaveValue("no");
  });

  const visitor = await (await browser.newContext()).newPage();
  await test.step("the visitor signs up: the business name is required", async () => {
    await visitor.goto("/portal");
    await hydrated(visitor);
    await visitor.getByRole("link", { name: "Create an account" }).click();
    await expect(visitor).toHaveURL(/\/portal\/register$/);
    await hydrated(visitor);
    await visitor.getByLabel("First name").fill("Rae");
    await visitor.getByLabel("Last name").fill("Newman");
    await visitor.getByLabel("Email").fill(visitorEmail);
    await visitor.getByLabel("Password", { exact: true }).fill(visitorPassword);
    await visitor.getByLabel("Confirm password").fill(visitorPassword);
    await visitor.getByRole("button", { name: "Create account" }).click();
    await expect(visitor.getByText("Business name is required: accounts are for businesses only.")).toBeVisible();
    await expect(visitor.getByLabel("Business name")).toHaveAttribute("aria-invalid", "true");
    await visitor.getByLabel("Business name").fill("Fresh Start Bakery");
    await visitor.getByRole("button", { name: "Create account" }).click();
    await expect(visitor.getByRole("status").filter({ hasText: "Check your email." })).toBeVisible();
  });

  await test.step("the visitor confirms the address with the emailed link", async () => {
    const email = await sink.waitFor(visitorEmail);
    expect(email).toContain("Confirm your email to finish signing up");
    const link = email.match(/http:\/\/\S+\/portal\/register\/verify\/[0-9a-f]+/)?.[0];
    expect(link).toBeTruthy();
    await visitor.goto(link!);
    await hydrated(visitor);
    await visitor.getByRole("button", { name: "Confirm my email" }).click();
    await expect(visitor.getByRole("status").filter({ hasText: "Thank you: your email is confirmed." })).toBeVisible();
  });

  await test.step("staff find it Pending and approve it", async () => {
    await page.goto("/customers?status=pending");
    await hydrated(page);
    const row = page.getByRole("row", { name: /Fresh Start Bakery/ });
    await expect(row.getByRole("cell", { name: "Pending approval" })).toBeVisible();
    await row.getByRole("link", { name: "Fresh Start Bakery" }).click();
    await hydrated(page);
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Approved" })).toBeVisible();
  });

  await test.step("the visitor is emailed and orders for the new account", async () => {
    await expect
      .poll(() => sink.received.filter((m) => m.to.includes(visitorEmail)).length, { timeout: 20_000 })
      .toBe(2);
    await visitor.goto("/portal");
    await hydrated(visitor);
    await visitor.getByLabel("Email").fill(visitorEmail);
    await visitor.getByLabel("Password").fill(visitorPassword);
    await visitor.getByRole("button", { name: "Sign in" }).click();
    await expect(visitor.getByLabel("Current customer")).toHaveText("Ordering for: Fresh Start Bakery");
  });
});
