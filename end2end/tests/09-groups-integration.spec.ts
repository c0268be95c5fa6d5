import { expect, test } from "@playwright/test";
import { hydrated, orderableCustomer, post, signInAsAdmin } from "./helpers";
import { SmtpSink, smtpPort } from "./smtp-sink";

const sink = new SmtpSink();
test.beforeAll(async () => sink.listen(smtpPort));
test.afterAll(async () => sink.close());

const contactEmail = "gil@group-coffee.example";
const contactPassword = "a long group password";

test("a group given in bulk changes portal prices; a Buyer requests integration and staff activate it", async ({
  page,
  browser,
}) => {
  await signInAsAdmin(page);
  const customer = await orderableCustomer(page.request, "Group Coffee", "GC-1");
  const contact = String(
    await post(page.request, "contacts/create", {
      customer_id: customer,
      "contact[first_name]": "Gil",
      "contact[last_name]": "Buyer",
      "contact[email]": contactEmail,
      "contact[phone]": "",
      "contact[job_title]": "",
    }),
  );
  await post(page.request, "portal/customer/enable", { customer_id: customer, on: "true" });
  await post(page.request, "portal/invite", { customer_id: customer, "contact_ids[0]": contact });

  const contactPage = await (await browser.newContext()).newPage();
  await test.step("the contact accepts the invitation and sees list prices", async () => {
    const email = await sink.waitFor(contactEmail);
    const link = email.match(/http:\/\/\S+\/portal\/invitation\/[0-9a-f]+/)?.[0];
    await contactPage.goto(link!);
    await hydrated(contactPage);
    await contactPage.getByLabel("Password", { exact: true }).fill(contactPassword);
    await contactPage.getByLabel("Confirm password").fill(contactPassword);
    await contactPage.getByRole("button", { name: "Accept invitation" }).click();
    await expect(contactPage).toHaveURL(new RegExp(`/portal/c/${customer}$`));
    const row = contactPage.getByRole("row", { name: /Beans for Group Coffee/ });
    await expect(row.getByTestId("price")).toHaveText("$12.00");
  });

  await test.step("an Admin adds the group Wholesale (10 % off) in Settings", async () => {
    await page.goto("/settings/customer-groups");
    await hydrated(page);
    await page.getByLabel("Price adjustment (%)").fill("ten");
    await page.getByLabel("Price adjustment (%)").blur();
    await expect(page.getByText("Price adjustment 'ten' is not a percentage")).toBeVisible();
    await page.getByLabel("Name", { exact: true }).fill("Wholesale");
    await page.getByLabel("Price adjustment (%)").fill("-10");
    await page.getByRole("button", { name: "Add group" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Group saved." })).toBeVisible();
    await expect(page.getByRole("row", { name: /Wholesale/ }).getByRole("cell", { name: "−10 %" })).toBeVisible();
  });

  await test.step("staff give the group in bulk from the Customers list", async () => {
    await page.goto("/customers?q=Group+Coffee");
    await hydrated(page);
    await page.getByRole("checkbox", { name: "Select Group Coffee" }).check();
    await page.getByLabel("Customer group").selectOption({ label: "Wholesale" });
    await page.getByRole("button", { name: "Add to group" }).click();
    await expect(page.getByRole("status").filter({ hasText: "1 customer changed." })).toBeVisible();
    await expect(page.getByRole("row", { name: /Group Coffee/ }).getByRole("cell", { name: "Wholesale" })).toBeVisible();
    // The list filters by the group.
    await page.goto("/customers");
    await hydrated(page);
    await page.getByLabel("Group", { exact: true }).selectOption({ label: "Wholesale" });
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/group=\d+/);
    await expect(page.getByRole("link", { name: "Group Coffee" })).toBeVisible();
  });

  await test.step("the contact's portal shows the group's price", async () => {
    await contactPage.reload();
    await hydrated(contactPage);
    const row = contactPage.getByRole("row", { name: /Beans for Group Coffee/ });
    await expect(row.getByTestId("price")).toContainText("$10.80");
    await expect(row.getByTestId("price")).toContainText("List $12.00");
    await expect(contactPage.getByText("Your prices: −10 % on list prices.")).toBeVisible();
    await contactPage.getByLabel("Quantity of Beans for Group Coffee").fill("2");
    await expect(contactPage.getByText("1 line · total $21.60")).toBeVisible();
  });

  await test.step("the Buyer requests integration, naming their salesperson", async () => {
    await contactPage.getByRole("link", { name: "Integration" }).click();
    await expect(contactPage).toHaveURL(new RegExp(`/portal/c/${customer}/integration$`));
    await hydrated(contactPage);
    await contactPage.getByRole("button", { name: "Request Integration" }).click();
    await expect(contactPage.getByText("Choose your salesperson.")).toBeVisible();
    await expect(contactPage.getByText("Tick at least one transaction.")).toBeVisible();
    await contactPage.getByLabel("Your salesperson").selectOption({ label: "Ada Admin" });
    await contactPage.getByLabel("Orders", { exact: true }).check();
    await contactPage.getByLabel("Price Lists").check();
    await contactPage.getByRole("button", { name: "Request Integration" }).click();
    await expect(contactPage.getByRole("status").filter({ hasText: "Integration was requested" })).toBeVisible();
    const email = await sink.waitFor("ada@supplier.example");
    expect(email).toContain("Integration requested by Group Coffee");
    expect(email).toContain("Transactions: Orders, Price Lists");
  });

  await test.step("staff see it Requested and activate it", async () => {
    await page.goto("/customers?integration=requested");
    await hydrated(page);
    await expect(page.getByRole("row", { name: /Group Coffee/ }).getByRole("cell", { name: "Requested" })).toBeVisible();
    await page.goto(`/customers/${customer}`);
    await hydrated(page);
    await expect(page.getByTestId("integration-status")).toHaveText("Requested");
    await expect(page.getByText("Gil Buyer requested integration")).toBeVisible();
    if (process.env.SCREENSHOTS) await page.screenshot({ path: "screenshots/customer-integration.png", fullPage: true });
    await page.getByRole("button", { name: "Activate integration" }).click();
    await expect(page.getByTestId("integration-status")).toHaveText("Active");
    await contactPage.reload();
    await hydrated(contactPage);
    await expect(contactPage.getByText("Integration is active for this account.")).toBeVisible();
  });

  await test.step("staff limit the inventory the customer sees to one location", async () => {
    await post(page.request, "listings/locations/create", {
      "location[name]": "Inventory Dock",
      "location[code]": "INV-1",
      "location[street]": "2 Dock St",
      "location[city]": "Salem",
      "location[region]": "",
      "location[postal_code]": "97301",
      "location[country]": "United States",
    });
    await page.goto(`/customers/${customer}`);
    await hydrated(page);
    await expect(page.getByText("The portal shows the inventory of all locations.")).toBeVisible();
    await page.getByText("Configure Inventory Availability").click();
    await page.getByLabel("Only the locations ticked below").check();
    await page.getByLabel("Inventory Dock").check();
    await page.getByRole("button", { name: "Save inventory availability" }).click();
    await expect(page.getByText("Inventory availability saved.")).toBeVisible();
    await expect(page.getByText("The portal shows the inventory of 1 location.")).toBeVisible();
  });

  await test.step("staff keep a note, and the Activity tab shows the changes with before and after", async () => {
    await page.goto(`/customers/${customer}?tab=notes`);
    await hydrated(page);
    await page.getByLabel("New note").fill("Wants EDI for orders by March.");
    await page.getByRole("button", { name: "Add note" }).click();
    await expect(page.getByText("Wants EDI for orders by March.")).toBeVisible();
    await expect(page.getByLabel("New note")).toHaveValue("");
    await page.getByRole("link", { name: "Activity", exact: true }).click();
    await hydrated(page);
    const activated = page.getByRole("row", { name: /Activated integration/ });
    await expect(activated.getByRole("deletion")).toHaveText("Requested");
    await expect(activated.getByRole("insertion")).toHaveText("Active");
    await expect(page.getByRole("row", { name: /Added to the group Wholesale/ })).toBeVisible();
  });
});
