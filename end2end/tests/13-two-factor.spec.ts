import { test, expect, Page } from "@playwright/test";
import { createHmac } from "crypto";
import { hydrated, post, signInAsAdmin } from "./helpers";

const tess = { name: "Tess Twofactor", email: "tess@supplier.example", password: "tess long password" };

/** The secret an authenticator app reads, from the key the page shows (base32, in groups). */
function base32(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of text.replace(/\s/g, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((b) => parseInt(b, 2)));
}

/** The code an authenticator app shows now (RFC 6238: HMAC-SHA1, 30 s, 6 digits). */
function totp(secret: Buffer, stepsAhead = 0): string {
  const counter = Buffer.alloc(8);
  counter.writeBigInt64BE(BigInt(Math.floor(Date.now() / 30_000) + stepsAhead));
  const digest = createHmac("sha1", secret).update(counter).digest();
  const at = digest[digest.length - 1] & 15;
  return ((digest.readUInt32BE(at) & 0x7fffffff) % 1_000_000).toString().padStart(6, "0");
}

async function typePassword(page: Page, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await page.getByLabel("Email").fill(tess.email);
  await page.getByLabel("Password").fill(tess.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a staff user sets up two-factor sign-in with a QR code and signs in with a code or a recovery code", async ({ page, browser }) => {
  await signInAsAdmin(page);
  await post(page.request, "settings/users/add", { ...tess, role: "staff" });

  const context = await browser.newContext();
  const tessPage = await context.newPage();
  let secret = Buffer.alloc(0);
  let recoveryCodes: string[] = [];
  await test.step("Your account → set up: a QR code, a first code, then ten recovery codes", async () => {
    await typePassword(tessPage, "/account");
    await expect(tessPage).toHaveURL(/\/account$/);
    await hydrated(tessPage);
    await tessPage.getByRole("button", { name: "Set up two-factor sign-in" }).click();
    await expect(tessPage.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
    secret = base32(await tessPage.locator(".secret-key").innerText());
    expect(secret.length).toBe(20);
    await tessPage.getByLabel("Code from the app").fill("000000");
    await tessPage.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await expect(tessPage.locator("#code-message")).toContainText("That code is not right");
    await tessPage.getByLabel("Code from the app").fill(totp(secret));
    await tessPage.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    const codes = tessPage.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
    await expect(codes).toHaveCount(10);
    recoveryCodes = await codes.allInnerTexts();
    await tessPage.getByRole("button", { name: "Done" }).click();
    await expect(tessPage.getByText("On. 10 of your 10 recovery codes are unused.")).toBeVisible();
  });

  await test.step("signing in asks for the code after the password, then goes where it was going", async () => {
    const phone = await (await browser.newContext()).newPage();
    await typePassword(phone, "/orders");
    await expect(phone).toHaveURL(/\/login\/two-factor\?next=%2Forders$/);
    await hydrated(phone);
    await phone.getByLabel("Code", { exact: true }).fill("12345");
    await phone.getByRole("button", { name: "Sign in" }).click();
    await expect(phone.locator("#code-message")).toContainText("That code is not right");
    await phone.getByLabel("Code", { exact: true }).fill(totp(secret, 1));
    await phone.getByRole("button", { name: "Sign in" }).click();
    await expect(phone).toHaveURL(/\/orders$/);
  });

  await test.step("a recovery code signs in once when the phone is lost", async () => {
    const laptop = await (await browser.newContext()).newPage();
    await typePassword(laptop, "/customers");
    await expect(laptop).toHaveURL(/\/login\/two-factor/);
    await hydrated(laptop);
    await laptop.getByLabel("Code", { exact: true }).fill(recoveryCodes[0]);
    await laptop.getByRole("button", { name: "Sign in" }).click();
    await expect(laptop).toHaveURL(/\/customers$/);
    await laptop.goto("/account");
    await expect(laptop.getByText("On. 9 of your 10 recovery codes are unused.")).toBeVisible();
  });

  await test.step("an Admin resets it for a user who lost both", async () => {
    await page.goto("/settings/users");
    await hydrated(page);
    await page.getByRole("button", { name: `Reset two-factor sign-in of ${tess.name}` }).click();
    await expect(page.getByRole("status")).toContainText("Two-factor sign-in reset");
    await expect(page.getByRole("button", { name: `Reset two-factor sign-in of ${tess.name}` })).toHaveCount(0);
    await typePassword(tessPage, "/customers");
    await expect(tessPage).toHaveURL(/\/customers$/);
  });
});
