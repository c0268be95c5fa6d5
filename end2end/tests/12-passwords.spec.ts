import { test, expect } from "@playwright/test";
import { hydrated, post, signIn, signInAsAdmin } from "./helpers";
import { SmtpSink, smtpPort } from "./smtp-sink";

const sink = new SmtpSink();
test.beforeAll(async () => sink.listen(smtpPort));
test.afterAll(async () => sink.close());

const rita = { name: "Rita Reset", email: "rita@supplier.example", password: "ritas first password" };
const newPassword = "ritas second password";

test("a staff user who forgot their password resets it by email, then signs out everywhere", async ({ page, browser }) => {
  await signInAsAdmin(page);
  await post(page.request, "settings/users/add", { ...rita, role: "staff" });

  const context = await browser.newContext();
  const ritaPage = await context.newPage();
  await test.step("“Forgot your password?” on the sign-in page emails a link", async () => {
    await ritaPage.goto("/login");
    await hydrated(ritaPage);
    await ritaPage.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(ritaPage).toHaveURL(/\/login\/forgot$/);
    await hydrated(ritaPage);
    await ritaPage.getByLabel("Email").fill("rita@");
    await ritaPage.getByRole("button", { name: "Email me a link" }).focus();
    await expect(ritaPage.locator("#email-message")).toHaveText("'rita@' is not an email address.");
    await ritaPage.getByLabel("Email").fill(rita.email);
    await ritaPage.getByRole("button", { name: "Email me a link" }).click();
    await expect(ritaPage.getByRole("status")).toContainText(`If an account uses ${rita.email}, we have emailed it a link`);
  });

  await test.step("the link opens a page to choose a new password, and signs in", async () => {
    const email = await sink.waitFor(rita.email);
    expect(email).toContain("Choose a new password for Clientele");
    const link = email.match(/http:\/\/\S+\/login\/reset\/[0-9a-f]+/)?.[0];
    expect(link).toBeTruthy();
    await ritaPage.goto(link!);
    await hydrated(ritaPage);
    await expect(ritaPage.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    await ritaPage.getByLabel("New password", { exact: true }).fill(newPassword);
    await ritaPage.getByLabel("New password again").fill("something different");
    await ritaPage.getByRole("button", { name: "Set password and sign in" }).click();
    await expect(ritaPage.locator("#confirm-message")).toHaveText("The two passwords differ. Type the same password twice.");
    await ritaPage.getByLabel("New password again").fill(newPassword);
    await ritaPage.getByRole("button", { name: "Set password and sign in" }).click();
    await expect(ritaPage).toHaveURL(/\/customers$/);
    await ritaPage.goto(link!);
    await expect(ritaPage.getByRole("heading", { name: "This link has been used or has expired" })).toBeVisible();
  });

  await test.step("“Your account” changes the password and signs out everywhere", async () => {
    const phone = await browser.newContext();
    const phonePage = await phone.newPage();
    await signIn(phonePage, rita.email, newPassword);
    await ritaPage.goto("/customers");
    await ritaPage.getByRole("link", { name: rita.name }).click();
    await expect(ritaPage).toHaveURL(/\/account$/);
    await hydrated(ritaPage);
    await ritaPage.getByLabel("Current password").fill("not my password at all");
    await ritaPage.getByLabel("New password", { exact: true }).fill("ritas third password");
    await ritaPage.getByLabel("New password again").fill("ritas third password");
    await ritaPage.getByRole("button", { name: "Change password" }).click();
    await expect(ritaPage.locator("#current-message")).toHaveText("That is not your current password.");
    await ritaPage.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(ritaPage).toHaveURL(/\/login$/);
    await phonePage.goto("/customers");
    await expect(phonePage).toHaveURL(/\/login/);
    await phone.close();
  });
  await context.close();
});

test("an Admin removes a user, and reads it all in the Security log", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/settings/users");
  await hydrated(page);
  await page.getByRole("button", { name: `Remove ${rita.name}` }).click();
  const dialog = page.getByRole("alertdialog", { name: "Remove user" });
  await expect(dialog).toContainText("They are signed out everywhere and can no longer sign in.");
  await dialog.getByRole("button", { name: `Remove ${rita.name}` }).click();
  await expect(page.getByRole("cell", { name: rita.email })).toHaveCount(0);

  await page.goto("/settings");
  await page.getByRole("link", { name: "Security" }).click();
  await expect(page).toHaveURL(/\/settings\/security$/);
  await hydrated(page);
  await page.getByLabel("Only this email").fill(rita.email);
  await page.getByLabel("Only this email").press("Enter");
  await expect(page.getByRole("cell", { name: "Reset their password by email" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Signed out everywhere" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Failed sign-in" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "User removed" })).toBeVisible();
});
