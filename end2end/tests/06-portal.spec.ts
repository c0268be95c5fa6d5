import { expect, test } from "@playwright/test";
import { hydrated, orderableCustomer, post, signInAsAdmin } from "./helpers";
import { SmtpSink, smtpPort } from "./smtp-sink";

const sink = new SmtpSink();
test.beforeAll(async () => sink.listen(smtpPort));
test.afterAll(async () => sink.close());

const contactEmail = "pat@portal-coffee.example";
const contactPassword = "a long portal password";

test("staff open the portal and invite a contact of two customers, who orders for one and changes customer", async ({
  page,
  browser,
}) => {
  await signInAsAdmin(page);
  const first = await orderableCustomer(page.request, "Portal Coffee One", "PC-1");
  const second = await orderableCustomer(page.request, "Portal Coffee Two", "PC-2");
  const contact = String(
    await post(page.request, "contacts/create", {
      customer_id: first,
      "contact[first_name]": "Pat",
      "contact[last_name]": "Buyer",
      "contact[email]": contactEmail,
      "contact[phone]": "",
      "contact[job_title]": "",
    }),
  );
  await post(page.request, "contacts/assign", { customer_id: second, contact_id: contact });
  await post(page.request, "portal/customer/enable", { customer_id: second, on: "true" });

  await test.step("staff turn the portal on for the first customer and send the invitation", async () => {
    await page.goto(`/customers/${first}`);
    await hydrated(page);
    await page.getByRole("checkbox", { name: "Portal", exact: true }).check();
    const offer = page.getByRole("region", { name: "Invite contacts" });
    await expect(offer.getByLabel(`Pat Buyer <${contactEmail}>`)).toBeChecked();
    await offer.getByRole("button", { name: "Send Email" }).click();
    await expect(page.getByRole("status").filter({ hasText: "1 invitation queued" })).toBeVisible();
  });

  const contactPage = await (await browser.newContext()).newPage();
  await test.step("the contact accepts the invitation received by the SMTP sink", async () => {
    const email = await sink.waitFor(contactEmail);
    expect(email).toContain("You are invited to order online for Portal Coffee One");
    const link = email.match(/http:\/\/\S+\/portal\/invitation\/[0-9a-f]+/)?.[0];
    expect(link).toBeTruthy();
    await contactPage.goto(link!);
    await hydrated(contactPage);
    await expect(contactPage.getByRole("heading", { name: "Welcome, Pat" })).toBeVisible();
    await contactPage.getByLabel("Password", { exact: true }).fill(contactPassword);
    await contactPage.getByLabel("Confirm password").fill(contactPassword);
    await contactPage.getByRole("button", { name: "Accept invitation" }).click();
    await expect(contactPage).toHaveURL(new RegExp(`/portal/c/${first}$`));
    await hydrated(contactPage);
    await contactPage.getByRole("button", { name: "Sign out" }).click();
    await expect(contactPage).toHaveURL(/\/portal$/);
  });

  await test.step("the contact signs in and chooses the first customer", async () => {
    await hydrated(contactPage);
    await contactPage.getByLabel("Email").fill(contactEmail);
    await contactPage.getByLabel("Password").fill(contactPassword);
    await contactPage.getByRole("button", { name: "Sign in" }).click();
    await expect(contactPage.getByRole("heading", { name: "Choose a customer" })).toBeVisible();
    await hydrated(contactPage);
    await contactPage.getByRole("button", { name: /Portal Coffee One/ }).click();
    await expect(contactPage).toHaveURL(new RegExp(`/portal/c/${first}$`));
    await expect(contactPage.getByLabel("Current customer")).toHaveText("Ordering for: Portal Coffee One");
  });

  await test.step("the contact places an order and gets its confirmation", async () => {
    await hydrated(contactPage);
    const quantity = contactPage.getByLabel("Quantity of Beans for Portal Coffee One");
    await quantity.fill("3");
    await expect(contactPage.getByText("1 line · total $36.00")).toBeVisible();
    // A refresh keeps the cart.
    await contactPage.reload();
    await hydrated(contactPage);
    await expect(quantity).toHaveValue("3");
    await expect(contactPage.getByText("1 line · total $36.00")).toBeVisible();
    if (process.env.SCREENSHOTS) await contactPage.screenshot({ path: "screenshots/portal-catalog.png" });
    await contactPage.getByLabel("Purchase-order number (optional)").fill("PO-E2E");
    await contactPage.getByRole("button", { name: "Place Order" }).click();
    await expect(contactPage.getByRole("status").filter({ hasText: /Order SO-\d+ placed/ })).toBeVisible();
    await expect
      .poll(() => sink.received.filter((m) => m.to.includes(contactEmail)).length, { timeout: 20_000 })
      .toBe(2);
    await contactPage.getByRole("link", { name: "Orders" }).click();
    await expect(contactPage.getByRole("cell", { name: "PO-E2E" })).toBeVisible();
  });

  await test.step("Change Customer: the second customer's history is empty", async () => {
    await contactPage.getByRole("link", { name: "Change Customer" }).click();
    await hydrated(contactPage);
    await contactPage.getByRole("button", { name: /Portal Coffee Two/ }).click();
    await expect(contactPage.getByLabel("Current customer")).toHaveText("Ordering for: Portal Coffee Two");
    await hydrated(contactPage);
    await contactPage.getByRole("link", { name: "Orders" }).click();
    await expect(contactPage).toHaveURL(new RegExp(`/portal/c/${second}/orders$`));
    await expect(contactPage.getByText("No orders yet.")).toBeVisible();
  });

  await test.step("staff see the order and its value on the first customer and in the list", async () => {
    await page.goto(`/customers/${first}?tab=orders`);
    await hydrated(page);
    await expect(page.getByText("1 order", { exact: true })).toBeVisible();
    await expect(page.getByText("total value $36.00")).toBeVisible();
    await expect(page.getByRole("cell", { name: "PO-E2E" })).toBeVisible();
    await page.goto("/customers?q=Portal+Coffee+One");
    const row = page.getByRole("row", { name: /Portal Coffee One/ });
    await expect(row.getByRole("cell", { name: "$36.00" })).toBeVisible();
  });
});
