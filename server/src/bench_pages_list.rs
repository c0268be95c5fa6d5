//! What `bench-pages` requests: every page a person opens (rendered on the server, as a first
//! visit or a refresh gets it) and every server function behind a list or a search, with the
//! searches people type, against the seeded data.

use app::customers::{ListQuery, SortKey, StatusFilter};
use app::integration::IntegrationStatus;
use app::state::Db;
use sqlx::Row;

#[derive(Clone, Copy, Debug)]
pub enum Client {
    /// Signed in as an Admin.
    Staff,
    /// Signed in as the seeded contact of 200 customers.
    Portal,
}

#[derive(Clone, Debug)]
pub enum Target {
    /// A page, rendered on the server.
    Get(String),
    /// A server function taking a form.
    Form(&'static str, Vec<(String, String)>),
    /// A server function taking JSON.
    Json(&'static str, serde_json::Value),
}

#[derive(Clone, Debug)]
pub struct Page {
    pub name: String,
    pub client: Client,
    pub target: Target,
}

fn get(name: &str, path: String) -> Page {
    Page {
        name: name.into(),
        client: Client::Staff,
        target: Target::Get(path),
    }
}

fn form(name: &str, endpoint: &'static str, fields: &[(&str, &str)]) -> Page {
    Page {
        name: name.into(),
        client: Client::Staff,
        target: Target::Form(
            endpoint,
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
    }
}

fn portal(mut page: Page) -> Page {
    page.client = Client::Portal;
    page
}

fn customers(name: &str, query: ListQuery) -> Page {
    Page {
        name: format!("Customers: {name}"),
        client: Client::Staff,
        target: Target::Json("customers/list", serde_json::json!({ "query": query })),
    }
}

fn search(q: &str) -> ListQuery {
    ListQuery {
        q: q.into(),
        ..ListQuery::default()
    }
}

/// The values the searches and filters use, read from the seeded data.
struct Seeded {
    middle_customer: i64,
    middle_contact: i64,
    email_part: String,
    account_part: String,
    account: String,
    group: i64,
    staff: i64,
    portal_customer: i64,
    /// An email the Security log holds events of.
    security_email: String,
    middle_security_event: i64,
}

async fn seeded(db: &Db) -> Result<Seeded, sqlx::Error> {
    let one = |sql: &'static str| async move { sqlx::query(sql).fetch_one(&db.pool).await };
    let middle_customer: i64 = one(
        "SELECT id FROM customers ORDER BY name_key, id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM customers)",
    )
    .await?
    .try_get(0)?;
    let middle_contact: i64 = one("SELECT id FROM contacts ORDER BY last_name, first_name, id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM contacts)")
        .await?
        .try_get(0)?;
    let email: String =
        one("SELECT email FROM contacts ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 3 FROM contacts)")
            .await?
            .try_get(0)?;
    // "…novak12345@bakery": the end of the name, the number and the start of the domain.
    let at = email.find('@').unwrap_or(email.len());
    let email_part = email[at.saturating_sub(9)..(at + 4).min(email.len())].to_string();
    let account: String =
        one("SELECT account_number FROM customers WHERE account_number IS NOT NULL ORDER BY id DESC LIMIT 1")
            .await?
            .try_get(0)?;
    let account_part = account[..account.len().saturating_sub(2)].to_lowercase();
    let group: i64 = one("SELECT MIN(id) FROM customer_groups").await?.try_get(0)?;
    let staff: i64 = one("SELECT MIN(id) FROM staff_users WHERE password_hash = '!'")
        .await?
        .try_get(0)?;
    let portal_customer: i64 = sqlx::query(
        "SELECT MAX(cc.customer_id) FROM customer_contacts cc JOIN contacts k ON k.id = cc.contact_id
         WHERE k.email_key = $1",
    )
    .bind(crate::seed_volume::PORTAL_EMAIL)
    .fetch_one(&db.pool)
    .await?
    .try_get(0)?;
    // A contact with events in the log (one or two in the year, as most have).
    let security_email: String = one("SELECT email_key FROM security_events WHERE account = 'contact'
         ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM security_events)")
    .await?
    .try_get(0)?;
    let middle_security_event: i64 = one("SELECT COALESCE(MAX(id) / 2, 0) FROM security_events")
        .await?
        .try_get(0)?;
    Ok(Seeded {
        middle_customer,
        security_email,
        middle_security_event,
        middle_contact,
        email_part,
        account_part,
        account,
        group,
        staff,
        portal_customer,
    })
}

/// Every page and server function measured; `big` is a big account.
pub async fn pages(db: &Db, big: i64) -> Result<Vec<Page>, sqlx::Error> {
    let s = seeded(db).await?;
    let big_s = big.to_string();
    let (mid_customer, mid_contact) = (s.middle_customer.to_string(), s.middle_contact.to_string());
    let mut pages = vec![
        get("Page /customers", "/customers".into()),
        customers("first page", ListQuery::default()),
        customers(
            "next page from the middle",
            ListQuery {
                after: Some(s.middle_customer),
                ..ListQuery::default()
            },
        ),
        customers(
            "last page",
            ListQuery {
                last: true,
                ..ListQuery::default()
            },
        ),
        customers("search name 'golden bakery'", search("golden bakery")),
        customers("search word 'coffee'", search("coffee")),
        customers("search accented 'cafe munchen'", search("café münchen")),
        customers(
            &format!("search account '{}'", s.account_part),
            search(&s.account_part),
        ),
        customers(
            &format!("search exact account '{}'", s.account),
            search(&s.account),
        ),
        customers("search city 'portland'", search("portland")),
        customers("search contact 'lena novak'", search("lena novak")),
        customers(
            &format!("search contact email '{}'", s.email_part),
            search(&s.email_part),
        ),
        customers("search short 'ba'", search("ba")),
        customers("search no match 'zzqx'", search("zzqx")),
        customers(
            "filter active",
            ListQuery {
                status: StatusFilter::Active,
                ..ListQuery::default()
            },
        ),
        customers(
            "filter inactive",
            ListQuery {
                status: StatusFilter::Inactive,
                ..ListQuery::default()
            },
        ),
        customers(
            "filter pending approval",
            ListQuery {
                status: StatusFilter::Pending,
                ..ListQuery::default()
            },
        ),
        customers(
            "filter group",
            ListQuery {
                group: Some(s.group),
                ..ListQuery::default()
            },
        ),
        customers(
            "filter integration requested",
            ListQuery {
                integration: Some(IntegrationStatus::Requested),
                ..ListQuery::default()
            },
        ),
        customers(
            "filter sub-accounts of a big account",
            ListQuery {
                parent: Some(big),
                ..ListQuery::default()
            },
        ),
        customers(
            "sort newest first",
            ListQuery {
                sort: SortKey::NewestFirst,
                ..ListQuery::default()
            },
        ),
        customers(
            "sort name Z-A, word 'coffee'",
            ListQuery {
                sort: SortKey::NameDesc,
                q: "coffee".into(),
                ..ListQuery::default()
            },
        ),
        customers(
            "group + active + word 'market'",
            ListQuery {
                group: Some(s.group),
                status: StatusFilter::Active,
                q: "market".into(),
                ..ListQuery::default()
            },
        ),
        get("Page /contacts", "/contacts".into()),
        form("Contacts: first page", "contacts/list", &[("q", "")]),
        form(
            "Contacts: next page from the middle",
            "contacts/list",
            &[("q", ""), ("after", &mid_contact)],
        ),
        form(
            "Contacts: last page",
            "contacts/list",
            &[("q", ""), ("last", "true")],
        ),
        form(
            "Contacts: search 'lena novak'",
            "contacts/list",
            &[("q", "Lena Novak")],
        ),
        form("Contacts: search 'novak'", "contacts/list", &[("q", "novak")]),
        form(
            "Contacts: search accented 'zoe muller'",
            "contacts/list",
            &[("q", "Zoë Müller")],
        ),
        form(
            "Contacts: search part of an email",
            "contacts/list",
            &[("q", &s.email_part)],
        ),
        form(
            "Contacts: search customer name 'harbor creamery'",
            "contacts/list",
            &[("q", "harbor creamery")],
        ),
        form(
            "Contacts: search no match 'zzqx'",
            "contacts/list",
            &[("q", "zzqx")],
        ),
        form("+ Add Contacts: 'lena'", "contacts/search", &[("q", "lena")]),
        form("+ Add Contacts: 'novak'", "contacts/search", &[("q", "novak")]),
        form(
            "+ Add Contacts: part of an email",
            "contacts/search",
            &[("q", &s.email_part)],
        ),
    ];
    pages.push(get("Big customer: page", format!("/customers/{big}")));
    for tab in [
        "contacts",
        "locations",
        "items",
        "requirements",
        "requests",
        "ship-to",
        "orders",
        "messages",
        "documents",
        "notes",
        "activity",
    ] {
        pages.push(get(
            &format!("Big customer: tab {tab}"),
            format!("/customers/{big}?tab={tab}"),
        ));
    }
    let customer = [("customer_id", big_s.as_str())];
    pages.extend([
        form("Big customer: get", "customers/get", &[("id", &big_s)]),
        form("Big customer: contacts", "contacts/of_customer", &customer),
        form(
            "Big customer: locations",
            "requirements/sourced",
            &[("customer_id", &big_s), ("level", "location")],
        ),
        form(
            "Big customer: items",
            "requirements/sourced",
            &[("customer_id", &big_s), ("level", "item")],
        ),
        form(
            "Big customer: document requests",
            "requests/of_customer",
            &customer,
        ),
        form(
            "Big customer: ship-to locations",
            "ship_to/of_customer",
            &customer,
        ),
        form(
            "Big customer: orders",
            "orders/of_customer",
            &[("customer_id", &big_s), ("page", "0")],
        ),
        form("Big customer: messages", "mail/of_customer", &customer),
        form("Big customer: documents", "customer_files/of_customer", &customer),
        form("Big customer: notes", "notes/of_customer", &customer),
        form("Big customer: activity", "activity/of_customer", &customer),
        form("Big customer: groups", "groups/of_customer", &customer),
        form("Big customer: profile", "profile/of_customer", &customer),
        form("Big customer: integration", "integration/of_customer", &customer),
        form(
            "Big customer: parent picker 'golden'",
            "profile/parents",
            &[("customer_id", &big_s), ("q", "golden")],
        ),
        get("Page /listings/locations", "/listings/locations".into()),
        form(
            "Locations: first page",
            "listings/locations/list",
            &[("q", ""), ("page", "0")],
        ),
        form(
            "Locations: search 'portland'",
            "listings/locations/list",
            &[("q", "portland"), ("page", "0")],
        ),
        get("Page /listings/items", "/listings/items".into()),
        form(
            "Items: first page",
            "listings/items/list",
            &[("q", ""), ("page", "0")],
        ),
        form(
            "Items: last page",
            "listings/items/list",
            &[("q", ""), ("page", "100000")],
        ),
        form(
            "Items: search 'spelt flour'",
            "listings/items/list",
            &[("q", "spelt flour"), ("page", "0")],
        ),
        get("Page /orders", "/orders".into()),
        form(
            "Orders: first page",
            "orders/list",
            &[
                ("filter[customer]", ""),
                ("filter[from]", ""),
                ("filter[to]", ""),
                ("page", "0"),
            ],
        ),
        form(
            "Orders: last page",
            "orders/list",
            &[
                ("filter[customer]", ""),
                ("filter[from]", ""),
                ("filter[to]", ""),
                ("page", "100000"),
            ],
        ),
        form(
            "Orders: by customer 'golden bakery'",
            "orders/list",
            &[
                ("filter[customer]", "golden bakery"),
                ("filter[from]", ""),
                ("filter[to]", ""),
                ("page", "0"),
            ],
        ),
        form(
            "Orders: by dates (one month)",
            "orders/list",
            &[
                ("filter[customer]", ""),
                ("filter[from]", "2026-06-01"),
                ("filter[to]", "2026-06-30"),
                ("page", "0"),
            ],
        ),
        get("Page /activity", "/activity".into()),
    ]);
    let activity = |name: &str, customer: &str, action: &str, who: &str, from: &str, to: &str| Page {
        name: format!("Activity Log: {name}"),
        client: Client::Staff,
        target: Target::Json(
            "activity/log",
            serde_json::json!({ "filter": {
                "customer": customer, "action": action, "who": who, "from": from, "to": to, "before": null
            }}),
        ),
    };
    let staff = s.staff.to_string();
    pages.extend([
        activity("first page", "", "", "", "", ""),
        activity("by customer 'golden bakery'", "golden bakery", "", "", "", ""),
        activity("by kind 'note_added'", "", "note_added", "", "", ""),
        activity(
            "by kind 'portal_invitation' (none)",
            "",
            "portal_invitation",
            "",
            "",
            "",
        ),
        activity("by staff user", "", "", &staff, "", ""),
        activity("by dates (one month)", "", "", "", "2026-06-01", "2026-06-30"),
        get("Page /settings/email-log", "/settings/email-log".into()),
        form("Email Log: first page", "mail/log", &[]),
        get("Page /settings/security", "/settings/security".into()),
        form(
            "Security log: first page",
            "settings/security_log",
            &[("email", "")],
        ),
        form(
            "Security log: a page from the middle",
            "settings/security_log",
            &[("email", ""), ("before", &s.middle_security_event.to_string())],
        ),
        form(
            "Security log: one contact's events",
            "settings/security_log",
            &[("email", &s.security_email)],
        ),
        form(
            "Security log: an address with none",
            "settings/security_log",
            &[("email", "nobody@nowhere.example")],
        ),
        get("Page /customers/trash", "/customers/trash".into()),
        form("Trash", "customers/trash", &[]),
        get("Page /share-settings (document types)", "/share-settings".into()),
        form("Share Settings: document types", "documents/types", &[]),
        get("Page Bulk Configure", "/share-settings/bulk-requirements".into()),
        form(
            "Bulk Configure: customers 'coffee'",
            "bulk_requirements/customers",
            &[("q", "coffee"), ("status", "all")],
        ),
        form(
            "Bulk Configure: all customers",
            "bulk_requirements/customers",
            &[("q", ""), ("status", "all")],
        ),
        get(
            "Page /customers/{id} of a middle customer",
            format!("/customers/{mid_customer}"),
        ),
        portal(get("Portal: page /portal (Change Customer)", "/portal".into())),
        portal(form(
            "Portal: visitor (customers to choose from)",
            "portal/visitor",
            &[],
        )),
        portal(get(
            "Portal: catalog page",
            format!("/portal/c/{}", s.portal_customer),
        )),
        portal(form(
            "Portal: catalog",
            "portal/catalog",
            &[("customer_id", &s.portal_customer.to_string())],
        )),
        portal(get(
            "Portal: order history page",
            format!("/portal/c/{}/orders", s.portal_customer),
        )),
        portal(form(
            "Portal: order history",
            "portal/orders",
            &[("customer_id", &s.portal_customer.to_string()), ("page", "0")],
        )),
        portal(get("Document Retrieval Site: page /shared", "/shared".into())),
        portal(form(
            "Document Retrieval Site: documents",
            "shared/documents",
            &[],
        )),
    ]);
    Ok(pages)
}
