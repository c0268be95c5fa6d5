import { APIRequestContext, expect, Page } from "@playwright/test";

export const admin = { name: "Ada Admin", email: "ada@supplier.example", password: "correct horse battery" };

export function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Main" });
}

/** Waits until the page is hydrated: the app marks the body once its effects run. */
export async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/customers$/);
  await hydrated(page);
}

/** Signs in as the first Admin, creating them first if this install is new. */
export async function signInAsAdmin(page: Page) {
  await page.goto("/customers");
  if (page.url().endsWith("/setup")) {
    await hydrated(page);
    await page.getByLabel("Your name").fill(admin.name);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Create Admin account" }).click();
    await expect(page).toHaveURL(/\/customers$/);
    await hydrated(page);
  } else {
    await signIn(page, admin.email, admin.password);
  }
}

/** The company form's fields, by their visible labels; fields left out stay as they are. */
export type Company = Partial<Record<
  "Company name" | "Account number" | "Street" | "City" | "Region / State" | "Postal code" | "Country" | "Phone" | "Website",
  string
>>;

export async function fillCompany(page: Page, company: Company) {
  for (const [label, value] of Object.entries(company)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
}

/** Calls a server function with a form; fails the test unless it succeeds. */
export async function post(request: APIRequestContext, endpoint: string, form: Record<string, string>) {
  const response = await request.post(`/api/${endpoint}`, { form });
  expect(response.ok(), `${endpoint}: ${await response.text()}`).toBeTruthy();
  return response.json();
}

/** A customer in Portland made through the server function; returns its id. */
export async function createCustomer(request: APIRequestContext, name: string, account: string) {
  return String(
    await post(request, "customers/create", {
      "company[name]": name,
      "company[account_number]": account,
      "company[street]": "1 Main St",
      "company[city]": "Portland",
      "company[region]": "",
      "company[postal_code]": "97201",
      "company[country]": "United States",
      "company[phone]": "",
      "company[website]": "",
    }),
  );
}

/** A customer with one item ($12.00) in its catalog and a Ship-To Location. */
export async function orderableCustomer(request: APIRequestContext, name: string, account: string) {
  const customer = await createCustomer(request, name, account);
  const item = String(
    await post(request, "listings/items/create", {
      "item[sku]": `${account}-BEANS`,
      "item[name]": `Beans for ${name}`,
      "item[description]": "",
      "item[unit_price]": "12.00",
      location_ids: "",
      active: "on",
    }),
  );
  await post(request, "requirements/add", { customer_id: customer, level: "item", "ids[0]": item });
  await post(request, "ship_to/add", {
    customer_id: customer,
    "ship_to[name]": `${name} dock`,
    "ship_to[street]": "2 Dock St",
    "ship_to[city]": "Portland",
    "ship_to[region]": "",
    "ship_to[postal_code]": "97201",
    "ship_to[country]": "United States",
  });
  return customer;
}
