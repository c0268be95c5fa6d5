//! `server seed --scale S`: a supplier's whole history at real volume, in one transaction, on
//! SQLite or PostgreSQL. At scale 1: 100,000 customers, 300,000 contacts with about 415,000
//! assignments, 500 locations, 10,000 items, 100,000 documents, 100,000 document requests,
//! 200,000 orders with 1,000,000 lines, 2,000,000 Activity rows and 500,000 emails — and three big
//! accounts with 5,000 contacts, 20,000 Activity rows and 5,000 orders each, and a portal contact
//! of 200 customers, whatever the scale (the big accounts are where pages break).
//!
//! Customers and contacts are made here (their search texts are folded in Rust); the rest is made
//! by the database from a numbers sequence, so millions of rows take seconds, not a round trip
//! each. Every choice is a function of a row's number: the same scale always gives the same data.

use crate::seed::{insert_customers, optimize};
use crate::seed_names::{DOMAINS, FIRST_NAMES, JOBS, LAST_NAMES};
use app::sql::{rows_per_statement, Bind, Sql};
use app::state::{now_ms, Backend, Db};
use sqlx::{AnyConnection, AssertSqlSafe};

/// The email and password of the portal contact of [`PORTAL_CUSTOMERS`] customers.
pub const PORTAL_EMAIL: &str = "pat.portal@bench.example";
pub const PORTAL_PASSWORD: &str = "portal bench password";
/// The settings key holding the big accounts' ids, comma-separated.
pub const BIG_ACCOUNTS_KEY: &str = "seed_big_accounts";

const BIG_ACCOUNTS: i64 = 3;
const BIG_CONTACTS: i64 = 5_000;
const BIG_ACTIVITY: i64 = 20_000;
const BIG_ORDERS: i64 = 5_000;
const BIG_LOCATIONS: i64 = 50;
const BIG_ITEMS: i64 = 500;
const PORTAL_CUSTOMERS: i64 = 200;
const LINES_PER_ORDER: i64 = 5;
const STAFF: i64 = 5;

/// How many of each; scale 1 is the volume above.
#[derive(Debug, Clone, Copy)]
pub struct Volume {
    pub customers: i64,
    pub contacts: i64,
    /// Contacts also assigned to a second customer.
    pub second_assignments: i64,
    pub locations: i64,
    pub items: i64,
    pub orders: i64,
    pub activity: i64,
    pub emails: i64,
    /// The Security log's year of sign-ins and failures.
    pub security_events: i64,
}

impl Volume {
    pub fn at(scale: f64) -> Volume {
        let n = |full: f64, least: f64| (full * scale).max(least).round() as i64;
        Volume {
            customers: n(100_000.0, 2_000.0),
            // Enough for the big accounts' contacts beside every customer's own.
            contacts: n(300_000.0, 20_000.0),
            second_assignments: n(100_000.0, 0.0),
            locations: n(500.0, BIG_LOCATIONS as f64),
            items: n(10_000.0, BIG_ITEMS as f64),
            orders: n(200_000.0, (BIG_ACCOUNTS * BIG_ORDERS) as f64),
            activity: n(2_000_000.0, (BIG_ACCOUNTS * BIG_ACTIVITY) as f64),
            emails: n(500_000.0, 0.0),
            security_events: n(500_000.0, 0.0),
        }
    }
}

/// Builds the volume at `scale` in one transaction; the database must hold no customers yet.
pub async fn run(db: &Db, scale: f64) -> Result<Volume, String> {
    let volume = Volume::at(scale);
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    if existing > 0 {
        return Err(format!(
            "the database already holds {existing} customers: seed a new, empty one"
        ));
    }
    let password = app::domain::Password::parse(PORTAL_PASSWORD).map_err(|e| e.to_string())?;
    let portal_hash = app::auth::password::hash(&password)
        .await
        .map_err(|e| e.to_string())?;
    let mut tx = db.begin().await.map_err(|e| e.to_string())?;
    if db.backend == Backend::Sqlite {
        // A large cache keeps the indexes being filled in memory until the commit.
        sqlx::query("PRAGMA cache_size = -1000000")
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
    }
    let mut seeder = Seeder {
        tx: &mut tx,
        volume,
        now: now_ms(),
        ids: Ids::default(),
    };
    seeder.all(&portal_hash).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    optimize(db).await.map_err(|e| e.to_string())?;
    Ok(volume)
}

/// The first id of each kind of row made (ids follow on from there, one per row, in a new
/// database), and the big accounts.
#[derive(Default)]
struct Ids {
    customer: i64,
    contact: i64,
    location: i64,
    item: i64,
    staff: i64,
    big: Vec<i64>,
}

struct Seeder<'t> {
    tx: &'t mut AnyConnection,
    volume: Volume,
    now: i64,
    ids: Ids,
}

const DAY_MS: i64 = 24 * 3600 * 1000;
const THREE_YEARS_MS: i64 = 3 * 365 * DAY_MS;

/// `CASE (expr) % n WHEN 0 THEN 'a' … END`: one of `choices` by a row's number. The choices are
/// this file's constants, never input.
fn pick(expr: &str, choices: &[&str]) -> String {
    let mut sql = format!("CASE ({expr}) % {} ", choices.len());
    for (i, choice) in choices.iter().enumerate() {
        sql.push_str(&format!("WHEN {i} THEN '{}' ", choice.replace('\'', "''")));
    }
    sql.push_str("END");
    sql
}

/// The numbers 0 to `count` − 1 as `seq(n)`, for `WITH RECURSIVE … INSERT … SELECT … FROM seq`.
fn numbers(count: i64) -> String {
    format!(
        "WITH RECURSIVE seq(n) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < {count}) "
    )
}

impl Seeder<'_> {
    async fn exec(&mut self, sql: &str) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(AssertSqlSafe(sql.to_string()))
            .execute(&mut *self.tx)
            .await?
            .rows_affected())
    }

    async fn first_id(&mut self, table: &str) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(AssertSqlSafe(format!("SELECT COALESCE(MIN(id), 0) FROM {table}")))
            .fetch_one(&mut *self.tx)
            .await
    }

    async fn all(&mut self, portal_hash: &str) -> Result<(), sqlx::Error> {
        self.staff().await?;
        self.listings().await?;
        insert_customers(&mut *self.tx, self.volume.customers as usize).await?;
        self.ids.customer = self.first_id("customers").await?;
        self.ids.big = (0..BIG_ACCOUNTS).map(|b| self.ids.customer + b).collect();
        self.customer_details().await?;
        self.contacts(portal_hash).await?;
        self.assignments().await?;
        self.documents().await?;
        self.requests().await?;
        self.orders().await?;
        self.activity().await?;
        self.emails().await?;
        self.security_events().await?;
        let big: Vec<String> = self.ids.big.iter().map(i64::to_string).collect();
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
            .bind(BIG_ACCOUNTS_KEY)
            .bind(big.join(","))
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Staff users who appear in the Activity and the Email Log; they cannot sign in.
    async fn staff(&mut self) -> Result<(), sqlx::Error> {
        let now = self.now;
        for n in 0..STAFF {
            sqlx::query(
                "INSERT INTO staff_users (name, email, email_key, password_hash, role, created_at)
                 VALUES ($1, $2, $2, '!', 'staff', $3)",
            )
            .bind(format!(
                "{} {}",
                FIRST_NAMES[n as usize],
                LAST_NAMES[n as usize * 7]
            ))
            .bind(format!("staff{n}@supplier.example"))
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        }
        self.ids.staff = sqlx::query_scalar("SELECT MIN(id) FROM staff_users WHERE password_hash = '!'")
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Locations, items (each made at one or two locations), and customer groups.
    async fn listings(&mut self) -> Result<(), sqlx::Error> {
        let Volume { locations, items, .. } = self.volume;
        let now = self.now;
        let city = pick(
            "n",
            &["Portland", "Hamburg", "Lyon", "Montreal", "Auckland", "Austin"],
        );
        let kind = pick(
            "n / 6",
            &["Roastery", "Bakery", "Mill", "Creamery", "Packing Plant"],
        );
        self.exec(&format!(
            "{} INSERT INTO locations (name, name_key, code, code_key, street, city, postal_code, country,
                 search_text, created_at, updated_at)
             SELECT {city} || ' ' || {kind} || ' ' || (n + 1), lower({city} || ' ' || {kind} || ' ' || (n + 1)),
                 'L' || (1000 + n), 'L' || (1000 + n), (n + 1) || ' Works Rd', {city}, '97201', 'United States',
                 lower({city} || ' ' || {kind} || ' ' || (n + 1) || ' / l' || (1000 + n) || ' / ' || {city}), {now}, {now}
             FROM seq",
            numbers(locations)
        ))
        .await?;
        self.ids.location = self.first_id("locations").await?;
        let product = pick(
            "n",
            &[
                "Espresso Beans",
                "Spelt Flour",
                "Buckwheat Flour",
                "Rye Sourdough",
                "Oat Milk",
                "Cold Brew",
                "Dark Chocolate",
                "Butter Croissant",
                "Greek Yogurt",
                "Maple Granola",
                "Sea Salt",
                "Green Tea",
            ],
        );
        let size = pick(
            "n / 12",
            &["250 g", "1 kg", "5 kg", "10 kg", "25 kg", "12 × 500 ml"],
        );
        self.exec(&format!(
            "{} INSERT INTO items (sku, sku_key, name, name_key, description, unit_price_cents, active, search_text,
                 created_at, updated_at)
             SELECT 'SKU-' || (100000 + n), 'SKU-' || (100000 + n), {product} || ' ' || {size} || ' #' || n,
                 lower({product} || ' ' || {size} || ' #' || n), 'Packed for trade', 100 + (n * 37) % 5000,
                 CASE WHEN n % 50 = 49 THEN 0 ELSE 1 END,
                 lower('sku-' || (100000 + n) || ' / ' || {product} || ' ' || {size} || ' #' || n), {now}, {now}
             FROM seq",
            numbers(items)
        ))
        .await?;
        self.ids.item = self.first_id("items").await?;
        let (fi, fl) = (self.ids.item, self.ids.location);
        self.exec(&format!(
            "INSERT INTO item_locations (item_id, location_id)
             SELECT id, {fl} + (id - {fi}) % {locations} FROM items"
        ))
        .await?;
        self.exec(&format!(
            "INSERT INTO item_locations (item_id, location_id)
             SELECT id, {fl} + (id - {fi} + 7) % {locations} FROM items WHERE id % 3 = 0 AND {locations} > 7"
        ))
        .await?;
        for (n, (name, bp)) in [
            ("Wholesale pricing", -1000),
            ("Tax exempt", 0),
            ("Distributors", -1500),
            ("Key accounts", -500),
            ("Cafés", -250),
            ("Restaurants", 0),
            ("Retail", 500),
            ("Export", 0),
            ("Schools", -750),
            ("Hotels", -300),
        ]
        .iter()
        .enumerate()
        {
            sqlx::query(
                "INSERT INTO customer_groups (name, name_key, price_adjustment_bp, tax_exempt, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(*name)
            .bind(name.to_lowercase())
            .bind(*bp as i64)
            .bind(i64::from(n == 1))
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    /// Flags, groups, sub-accounts, Ship-To Locations, the listings each customer sources and
    /// the big accounts' notes.
    async fn customer_details(&mut self) -> Result<(), sqlx::Error> {
        let (fc, now, staff) = (self.ids.customer, self.now, self.ids.staff);
        let i = format!("(id - {fc})");
        self.exec(&format!(
            "UPDATE customers SET
                 integration_status = CASE {i} % 20 WHEN 0 THEN 'requested' WHEN 1 THEN 'active' ELSE 'not_requested' END,
                 portal_enabled = CASE WHEN {i} % 10 = 0 THEN 1 ELSE 0 END,
                 pending_approval = CASE WHEN {i} % 1000 = 999 THEN 1 ELSE 0 END,
                 active = CASE WHEN {i} % 1000 = 999 THEN 0 ELSE active END,
                 wizard_step = CASE WHEN {i} % 500 = 7 THEN 3 END,
                 newsletter = {i} % 2"
        ))
        .await?;
        let big = self.ids.big[0];
        self.exec(&format!(
            "UPDATE customers SET parent_id = {big} WHERE {i} >= 1000 AND {i} < 2000"
        ))
        .await?;
        // In the Trash: one in a hundred.
        self.exec(&format!(
            "UPDATE customers SET deleted_at = {now} - {i} * 1000, deleted_by = {staff} WHERE {i} % 100 = 50"
        ))
        .await?;
        // "How did you hear about us": two customers in three gave one of six answers.
        for answer in [
            "Trade show",
            "Referral",
            "Web search",
            "Sales visit",
            "Catalog",
            "Distributor",
        ] {
            sqlx::query("INSERT INTO referral_sources (name, name_key, created_at) VALUES ($1, $2, $3)")
                .bind(answer)
                .bind(answer.to_lowercase())
                .bind(now)
                .execute(&mut *self.tx)
                .await?;
        }
        let sources: i64 = sqlx::query_scalar("SELECT MIN(id) FROM referral_sources")
            .fetch_one(&mut *self.tx)
            .await?;
        self.exec(&format!(
            "UPDATE customers SET source_id = {sources} + {i} % 6 WHERE {i} % 3 <> 2"
        ))
        .await?;
        let groups: i64 = sqlx::query_scalar("SELECT MIN(id) FROM customer_groups")
            .fetch_one(&mut *self.tx)
            .await?;
        self.exec(&format!(
            "INSERT INTO customer_group_members (customer_id, group_id, added_at)
             SELECT id, {groups} + {i} % 10, {now} FROM customers WHERE {i} % 3 = 0"
        ))
        .await?;
        let street = pick(
            "id",
            &["Dock St", "Warehouse Ave", "Loading Bay Rd", "Industrial Pkwy"],
        );
        self.exec(&format!(
            "INSERT INTO ship_to_locations (customer_id, name, street, city, postal_code, country, is_default,
                 created_at, updated_at)
             SELECT id, 'Main dock', (id % 900 + 1) || ' ' || {street}, city, postal_code, country, 1, {now}, {now}
             FROM customers"
        ))
        .await?;
        let (fl, l, fi, items) = (
            self.ids.location,
            self.volume.locations,
            self.ids.item,
            self.volume.items,
        );
        self.exec(&format!(
            "INSERT INTO customer_locations (customer_id, location_id, added_at)
             SELECT id, {fl} + {i} % {l}, {now} FROM customers"
        ))
        .await?;
        for k in 0..2 {
            self.exec(&format!(
                "INSERT INTO customer_items (customer_id, item_id, added_at)
                 SELECT id, {fi} + ({i} * 2 + {k}) % {items}, {now} FROM customers"
            ))
            .await?;
        }
        for b in self.ids.big.clone() {
            self.exec(&format!(
                "{} INSERT INTO ship_to_locations (customer_id, name, street, city, postal_code, country, created_at, updated_at)
                 SELECT {b}, 'Store ' || (n + 1), (n + 1) || ' High Street', 'Portland', '97201', 'United States', {now}, {now}
                 FROM seq",
                numbers(100)
            ))
            .await?;
            self.exec(&format!(
                "{} INSERT INTO customer_locations (customer_id, location_id, added_at)
                 SELECT {b}, {fl} + n, {now} FROM seq WHERE n < {l} ON CONFLICT DO NOTHING",
                numbers(BIG_LOCATIONS)
            ))
            .await?;
            self.exec(&format!(
                "{} INSERT INTO customer_items (customer_id, item_id, added_at)
                 SELECT {b}, {fi} + n, {now} FROM seq WHERE n < {items} ON CONFLICT DO NOTHING",
                numbers(BIG_ITEMS)
            ))
            .await?;
            self.exec(&format!(
                "{} INSERT INTO customer_notes (customer_id, staff_user_id, author_name, body, created_at, updated_at)
                 SELECT {b}, {staff} + n % {STAFF}, 'Staff ' || (n % {STAFF}),
                     'Called about the order of week ' || (n % 52 + 1) || '; they want samples of the new roast.',
                     {now} - n * 3600000, {now} - n * 3600000
                 FROM seq",
                numbers(300)
            ))
            .await?;
        }
        Ok(())
    }

    /// Contacts: each customer's own, then more (a second customer for some, the big accounts'),
    /// and the portal contact of 200 customers, with a password.
    async fn contacts(&mut self, portal_hash: &str) -> Result<(), sqlx::Error> {
        let now = self.now;
        let count = self.volume.contacts;
        let rows = (0..count).map(|n| {
            let first = FIRST_NAMES[(n as usize * 7) % FIRST_NAMES.len()];
            let last = LAST_NAMES[(n as usize * 13 + n as usize / 97) % LAST_NAMES.len()];
            let local = app::text_search::fold(&format!("{first}.{last}")).replace([' ', '\''], "");
            let email = format!("{local}{n}@{}", DOMAINS[n as usize % DOMAINS.len()]);
            let name_text = app::contacts::db::name_text_of(first, last, &email);
            vec![
                Bind::Text(first.into()),
                Bind::Text(last.into()),
                Bind::Text(email.clone()),
                Bind::Text(email),
                Bind::MaybeText((n % 3 != 0).then(|| format!("+1 503 555 {:04}", n % 10_000))),
                Bind::MaybeText(Some(JOBS[n as usize % JOBS.len()].into())),
                Bind::Text(name_text.clone()),
                Bind::Text(name_text),
                Bind::Int(now - THREE_YEARS_MS + n * (THREE_YEARS_MS / count)),
                Bind::Int(now - THREE_YEARS_MS + n * (THREE_YEARS_MS / count)),
                Bind::Int(1),
            ]
        });
        let mut rows = rows.peekable();
        while rows.peek().is_some() {
            let chunk: Vec<Vec<Bind>> = rows.by_ref().take(rows_per_statement(11)).collect();
            Sql::insert_values(
                &*self.tx,
                "INSERT INTO contacts (first_name, last_name, email, email_key, phone, job_title, name_text,
                     search_text, created_at, updated_at, version)",
                chunk.into_iter(),
                "",
            )
            .into_query()
            .execute(&mut *self.tx)
            .await?;
        }
        self.ids.contact = self.first_id("contacts").await?;
        let name_text = app::contacts::db::name_text_of("Pat", "Portal", PORTAL_EMAIL);
        sqlx::query(
            "INSERT INTO contacts (first_name, last_name, email, email_key, job_title, name_text, search_text,
                 password_hash, created_at, updated_at)
             VALUES ('Pat', 'Portal', $1, $1, 'Buyer', $2, $2, $3, $4, $4)",
        )
        .bind(PORTAL_EMAIL)
        .bind(name_text)
        .bind(portal_hash)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn assignments(&mut self) -> Result<(), sqlx::Error> {
        let (fc, c, fk, k, now) = (
            self.ids.customer,
            self.volume.customers,
            self.ids.contact,
            self.volume.contacts,
            self.now,
        );
        let j = format!("(id - {fk})");
        if !app::sql::is_sqlite(self.tx) {
            // Statistics of the rows just made, so that the assignments' trigger finds contacts
            // by their index instead of reading them all for each assignment.
            self.exec("ANALYZE customers, contacts").await?;
        }
        // Every contact at one customer; each customer's first contact receives its documents.
        // The assignments' copies of the names and texts are given here, not looked up one by one.
        self.exec(&format!(
            "INSERT INTO customer_contacts (customer_id, contact_id, documents_contact, role, added_at, last_name, first_name, contact_text)
             SELECT {fc} + {j} % {c}, id, CASE WHEN {j} < {c} THEN 1 ELSE 0 END,
                 CASE WHEN {j} % 4 = 3 THEN 'viewer' ELSE 'buyer' END, {now}, last_name, first_name, name_text
             FROM contacts WHERE id < {fk} + {k}"
        ))
        .await?;
        let second = self.volume.second_assignments;
        self.exec(&format!(
            "INSERT INTO customer_contacts (customer_id, contact_id, documents_contact, role, added_at, last_name, first_name, contact_text)
             SELECT {fc} + ({j} * 7 + 13) % {c}, id, 0, 'viewer', {now}, last_name, first_name, name_text
             FROM contacts WHERE id < {fk} + {second} ON CONFLICT DO NOTHING"
        ))
        .await?;
        for (b, big) in self.ids.big.clone().into_iter().enumerate() {
            let from = fk + (c + b as i64 * BIG_CONTACTS) % (k - BIG_CONTACTS);
            self.exec(&format!(
                "INSERT INTO customer_contacts (customer_id, contact_id, documents_contact, role, added_at, last_name, first_name, contact_text)
                 SELECT {big}, id, CASE WHEN id % 50 = 0 THEN 1 ELSE 0 END, 'buyer', {now}, last_name, first_name, name_text
                 FROM contacts WHERE id >= {from} AND id < {from} + {BIG_CONTACTS} ON CONFLICT DO NOTHING"
            ))
            .await?;
        }
        // The portal contact: a Buyer at 200 customers with the portal on, every one that has
        // requirements (see `requests`).
        let step = (c / (PORTAL_CUSTOMERS * 3)).max(1) * 3;
        let portal: i64 = sqlx::query_scalar("SELECT id FROM contacts WHERE email_key = $1")
            .bind(PORTAL_EMAIL)
            .fetch_one(&mut *self.tx)
            .await?;
        let portal_customers = format!(
            "id - {fc} >= 3 AND (id - {fc}) % {step} = 0 AND (id - {fc}) / {step} <= {PORTAL_CUSTOMERS} AND deleted_at IS NULL"
        );
        self.exec(&format!(
            "UPDATE customers SET portal_enabled = 1, active = 1, pending_approval = 0, wizard_step = NULL
             WHERE {portal_customers}"
        ))
        .await?;
        self.exec(&format!(
            "INSERT INTO customer_contacts (customer_id, contact_id, documents_contact, role, added_at)
             SELECT id, {portal}, 1, 'buyer', {now} FROM customers WHERE {portal_customers}"
        ))
        .await?;
        Ok(())
    }

    /// Documents of items (two types, five versions each) and locations (three types), each with
    /// its stored file; all share one blob, as the bytes are never read here.
    async fn documents(&mut self) -> Result<(), sqlx::Error> {
        let now = self.now;
        let today = jiff::Zoned::now().date();
        let day = |days: i64| {
            today
                .checked_add(jiff::Span::new().days(days))
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        // Current versions: most valid, some expiring within 30 days, some expired.
        let expiries: Vec<String> = [400, 300, 200, 150, 90, 60, 20, 10, -5, -40]
            .iter()
            .map(|d| day(*d))
            .collect();
        let expiry_refs: Vec<&str> = expiries.iter().map(String::as_str).collect();
        let (effective, old_effective, old_expiry) = (day(-300), day(-900), day(-400));
        self.exec(&format!(
            "INSERT INTO blobs (sha256, created_at) VALUES ('{}', {now})",
            "0".repeat(64)
        ))
        .await?;
        let (fi, items, fl, locations, staff) = (
            self.ids.item,
            self.volume.items,
            self.ids.location,
            self.volume.locations,
            self.ids.staff,
        );
        // Item documents: n = item × 10 + type × 5 + version (version 4 is current).
        let item_docs = items * 10;
        self.exec(&format!(
            "{} INSERT INTO stored_files (id, sha256, size, content_type, file_name, purpose, uploaded_by, created_at)
             SELECT 'seed-item-' || n, '{}', 48213, 'application/pdf', 'document-' || n || '.pdf', 'document', {staff}, {now}
             FROM seq",
            numbers(item_docs),
            "0".repeat(64)
        ))
        .await?;
        let current = pick("n / 10", &expiry_refs);
        self.exec(&format!(
            "{} INSERT INTO documents (type_id, item_id, title, effective_on, expires_on, file_id, replaced_at,
                 uploaded_by, created_at)
             SELECT 4 + (n / 5) % 2, {fi} + n / 10,
                 CASE WHEN (n / 5) % 2 = 0 THEN 'Specification Sheet' ELSE 'Certificate of Analysis' END || ' v' || (n % 5 + 1),
                 CASE WHEN n % 5 = 4 THEN '{effective}' ELSE '{old_effective}' END,
                 CASE WHEN n % 5 = 4 THEN {current} ELSE '{old_expiry}' END,
                 'seed-item-' || n, CASE WHEN n % 5 = 4 THEN NULL ELSE {now} - (5 - n % 5) * {DAY_MS} END,
                 {staff}, {now} - (5 - n % 5) * {DAY_MS}
             FROM seq",
            numbers(item_docs)
        ))
        .await?;
        let location_docs = locations * 3;
        self.exec(&format!(
            "{} INSERT INTO stored_files (id, sha256, size, content_type, file_name, purpose, uploaded_by, created_at)
             SELECT 'seed-location-' || n, '{}', 120400, 'application/pdf', 'audit-' || n || '.pdf', 'document', {staff}, {now}
             FROM seq",
            numbers(location_docs),
            "0".repeat(64)
        ))
        .await?;
        self.exec(&format!(
            "{} INSERT INTO documents (type_id, location_id, title, effective_on, expires_on, file_id, uploaded_by, created_at)
             SELECT 1 + n % 3, {fl} + n / 3, 'Site document ' || n, '{effective}', {current}, 'seed-location-' || n,
                 {staff}, {now}
             FROM seq",
            numbers(location_docs)
        ))
        .await?;
        // The big accounts' own files.
        for b in self.ids.big.clone() {
            self.exec(&format!(
                "{} INSERT INTO stored_files (id, sha256, size, content_type, file_name, purpose, uploaded_by, created_at)
                 SELECT 'seed-customer-{b}-' || n, '{}', 30100, 'application/pdf', 'contract-' || n || '.pdf', 'document', {staff}, {now}
                 FROM seq",
                numbers(50),
                "0".repeat(64)
            ))
            .await?;
            self.exec(&format!(
                "{} INSERT INTO customer_files (customer_id, file_id, title, uploaded_by, uploader_name, created_at)
                 SELECT {b}, 'seed-customer-{b}-' || n, 'Contract ' || (2000 + n), {staff}, 'Staff 0', {now} - n * {DAY_MS}
                 FROM seq",
                numbers(50)
            ))
            .await?;
        }
        Ok(())
    }

    /// Requirements of one customer in three (and every big account) for the listings it
    /// sources, and a Document Request for each: three in five sent with the current document.
    async fn requests(&mut self) -> Result<(), sqlx::Error> {
        let (fc, now, staff) = (self.ids.customer, self.now, self.ids.staff);
        let big: Vec<String> = self.ids.big.iter().map(i64::to_string).collect();
        let chosen = format!(
            "((customer_id - {fc}) % 3 = 0 OR customer_id IN ({}))",
            big.join(", ")
        );
        self.exec(&format!(
            "INSERT INTO customer_requirements (customer_id, type_id, item_id, created_at)
             SELECT customer_id, 5, item_id, {now} FROM customer_items WHERE {chosen}"
        ))
        .await?;
        self.exec(&format!(
            "INSERT INTO customer_requirements (customer_id, type_id, location_id, created_at)
             SELECT customer_id, 1, location_id, {now} FROM customer_locations WHERE {chosen}"
        ))
        .await?;
        // The current document by the index of its item or its location: one equality each, as
        // an OR of the two makes PostgreSQL read every document for every request.
        let document = "COALESCE(
             (SELECT d.id FROM documents d WHERE d.item_id = r.item_id AND d.type_id = r.type_id AND d.replaced_at IS NULL),
             (SELECT d.id FROM documents d WHERE d.location_id = r.location_id AND d.type_id = r.type_id AND d.replaced_at IS NULL))";
        self.exec(&format!(
            "INSERT INTO document_requests (customer_id, type_id, location_id, item_id, document_id, status,
                 created_at, fulfilled_at, sent_at, sent_by)
             SELECT r.customer_id, r.type_id, r.location_id, r.item_id,
                 CASE WHEN r.id % 5 < 3 THEN {document} END,
                 CASE WHEN r.id % 5 < 3 THEN 'sent' ELSE 'open' END,
                 {now} - r.id * 1000,
                 CASE WHEN r.id % 5 < 3 THEN {now} - r.id * 1000 END,
                 CASE WHEN r.id % 5 < 3 THEN {now} - r.id * 1000 END,
                 CASE WHEN r.id % 5 < 3 THEN {staff} END
             FROM customer_requirements r"
        ))
        .await?;
        Ok(())
    }

    /// Orders spread over every customer and 5,000 for each big account, five lines each, then
    /// each order's and each customer's totals.
    async fn orders(&mut self) -> Result<(), sqlx::Error> {
        let (fc, c, fk, now) = (
            self.ids.customer,
            self.volume.customers,
            self.ids.contact,
            self.now,
        );
        let spread = self.volume.orders - BIG_ACCOUNTS * BIG_ORDERS;
        let step = THREE_YEARS_MS / spread.max(1);
        let customer = format!("(n * 7919) % {c}");
        let name = pick(
            "n",
            &[
                "Lena Novak",
                "Noah Müller",
                "Mia Schmidt",
                "José Pérez",
                "Zoë Dubois",
            ],
        );
        self.exec(&format!(
            "{} INSERT INTO orders (customer_id, contact_id, placed_by_name, ship_to_name, ship_to_address,
                 po_number, client_key, total_cents, created_at)
             SELECT {fc} + {customer}, {fk} + {customer}, {name}, 'Main dock', (n % 900 + 1) || ' Dock St, Portland',
                 'PO-' || (10000 + n), 'seed-' || n, 0, {} + n * {step}
             FROM seq",
            numbers(spread),
            now - THREE_YEARS_MS
        ))
        .await?;
        let big_step = THREE_YEARS_MS / BIG_ORDERS;
        for big in self.ids.big.clone() {
            self.exec(&format!(
                "{} INSERT INTO orders (customer_id, placed_by_name, ship_to_name, ship_to_address, po_number,
                     client_key, total_cents, created_at)
                 SELECT {big}, {name}, 'Store ' || (n % 100 + 1), (n % 100 + 1) || ' High Street, Portland',
                     'PO-B' || n, 'seed-big-' || n, 0, {} + n * {big_step}
                 FROM seq",
                numbers(BIG_ORDERS),
                now - THREE_YEARS_MS
            ))
            .await?;
        }
        let (fi, items) = (self.ids.item, self.volume.items);
        let item = format!("((o.id * 31 + l.column1 * 17) % {items})");
        let price = format!("(100 + ({item} * 37) % 5000)");
        let quantity = "(1 + (o.id + l.column1) % 9)";
        let values: Vec<String> = (1..=LINES_PER_ORDER).map(|l| format!("({l})")).collect();
        self.exec(&format!(
            "INSERT INTO order_lines (order_id, line_no, item_id, sku, name, unit_price_cents, quantity, line_total_cents)
             SELECT o.id, l.column1, {fi} + {item}, 'SKU-' || (100000 + {item}), 'Item #' || {item}, {price},
                 {quantity}, {price} * {quantity}
             FROM orders o CROSS JOIN (VALUES {}) AS l",
            values.join(", ")
        ))
        .await?;
        self.exec(
            "UPDATE orders SET total_cents = (SELECT SUM(line_total_cents) FROM order_lines WHERE order_id = orders.id)",
        )
        .await?;
        self.exec(
            "UPDATE customers SET
                 order_count = (SELECT COUNT(*) FROM orders o WHERE o.customer_id = customers.id),
                 order_total_cents = (SELECT COALESCE(SUM(o.total_cents), 0) FROM orders o WHERE o.customer_id = customers.id)",
        )
        .await?;
        Ok(())
    }

    /// Activity spread over every customer, and about 20,000 rows for each big account.
    async fn activity(&mut self) -> Result<(), sqlx::Error> {
        let (fc, c, now, staff) = (self.ids.customer, self.volume.customers, self.now, self.ids.staff);
        let actions: Vec<&str> = [
            "customer_edited",
            "contact_assigned",
            "contact_edited",
            "documents_sent",
            "order_placed",
            "note_added",
            "groups_changed",
            "requirement_changed",
            "ship_to_changed",
            "portal_toggled",
        ]
        .to_vec();
        let action = pick("n", &actions);
        let detail = pick(
            "n",
            &[
                "Phone changed",
                "Lena Novak assigned",
                "Email of Noah Müller changed",
                "Certificate of Analysis sent to 2 contacts",
                "Order SO-000123 placed",
                "Note added",
                "Added to Wholesale pricing",
                "HACCP Plan required for Portland Roastery",
                "Main dock edited",
                "Portal turned on",
            ],
        );
        // One row in `every` goes to a big account, so ids follow time as in a real log.
        let total = self.volume.activity;
        let every = (total / BIG_ACTIVITY).max(BIG_ACCOUNTS + 1);
        let customer = format!(
            "CASE WHEN n % {every} < {BIG_ACCOUNTS} THEN {fc} + n % {every} ELSE {fc} + (n * 7919) % {c} END"
        );
        self.exec(&format!(
            "{} INSERT INTO customer_activity (customer_id, staff_user_id, actor_name, action, detail, before_value,
                 after_value, created_at)
             SELECT {customer}, {staff} + n % {STAFF}, 'Staff ' || (n % {STAFF}), {action}, {detail},
                 CASE WHEN n % 3 = 0 THEN '+1 503 555 0100' END, CASE WHEN n % 3 = 0 THEN '+1 503 555 0199' END,
                 {} + n * {}
             FROM seq",
            numbers(total),
            now - THREE_YEARS_MS,
            THREE_YEARS_MS / total.max(1)
        ))
        .await?;
        Ok(())
    }

    /// The outbox's history: delivered emails to each customer's first contact, one in fifty
    /// failed.
    async fn emails(&mut self) -> Result<(), sqlx::Error> {
        let (fc, c, fk, now, staff) = (
            self.ids.customer,
            self.volume.customers,
            self.ids.contact,
            self.now,
            self.ids.staff,
        );
        let count = self.volume.emails;
        if count == 0 {
            return Ok(());
        }
        let kind = pick(
            "n",
            &[
                "documents_shared",
                "order_confirmation",
                "portal_invitation",
                "portal_reminder",
            ],
        );
        let subject = pick(
            "n",
            &[
                "Documents shared with you",
                "Order confirmation",
                "You are invited to order online",
                "Your weekly ordering link",
            ],
        );
        let step = THREE_YEARS_MS / count;
        self.exec(&format!(
            "{} INSERT INTO outbox (kind, customer_id, contact_id, to_address, to_name, subject, text_body, html_body,
                 status, attempts, next_attempt_at, last_error, created_by, created_at, sent_at)
             SELECT {kind}, {fc} + (n * 7919) % {c}, k.id, k.email, k.first_name || ' ' || k.last_name, {subject},
                 'Hello ' || k.first_name || ', here is what we sent you.', '<p>Hello ' || k.first_name || ', here is what we sent you.</p>',
                 CASE WHEN n % 50 = 0 THEN 'failed' ELSE 'sent' END, 1, {} + n * {step},
                 CASE WHEN n % 50 = 0 THEN '550 mailbox unavailable' END, {staff} + n % {STAFF},
                 {} + n * {step}, CASE WHEN n % 50 = 0 THEN NULL ELSE {} + n * {step} + 2000 END
             FROM seq JOIN contacts k ON k.id = {fk} + (n * 7919) % {c}",
            numbers(count),
            now - THREE_YEARS_MS,
            now - THREE_YEARS_MS,
            now - THREE_YEARS_MS
        ))
        .await?;
        Ok(())
    }

    /// A year of the Security log: staff and contacts signing in, now and then a wrong password
    /// or a lock-out, from a few hundred addresses. Every event is younger than a year, so
    /// housekeeping keeps them all.
    async fn security_events(&mut self) -> Result<(), sqlx::Error> {
        let (fk, k, now) = (self.ids.contact, self.volume.contacts, self.now);
        let count = self.volume.security_events;
        if count == 0 {
            return Ok(());
        }
        let kind = pick(
            "n / 7",
            &[
                "signed_in",
                "signed_in",
                "signed_in",
                "sign_in_failed",
                "signed_in",
                "password_changed",
                "signed_in",
                "sign_in_throttled",
            ],
        );
        let year = 364 * DAY_MS;
        let step = year / count;
        // One event in ten is a staff user's; the rest are contacts', by the contact's email.
        self.exec(&format!(
            "{} INSERT INTO security_events (at, kind, account, email_key, address, detail)
             SELECT {} + n * {step}, {kind},
                 CASE WHEN n % 10 = 0 THEN 'staff' ELSE 'contact' END,
                 CASE WHEN n % 10 = 0 THEN 'staff' || (n % {STAFF}) || '@supplier.example'
                      ELSE COALESCE(k.email_key, 'no-email@customer.example') END,
                 '198.51.100.' || (n % 250), ''
             FROM seq JOIN contacts k ON k.id = {fk} + (n * 7919) % {k}",
            numbers(count),
            now - year,
        ))
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_scale_is_the_volume_of_the_issue() {
        let v = Volume::at(1.0);
        assert_eq!(
            (v.customers, v.contacts, v.second_assignments),
            (100_000, 300_000, 100_000)
        );
        assert_eq!((v.orders, v.activity, v.emails), (200_000, 2_000_000, 500_000));
        assert_eq!((v.locations, v.items), (500, 10_000));
    }

    #[test]
    fn a_small_scale_still_holds_the_big_accounts() {
        let v = Volume::at(0.001);
        assert!(v.contacts >= v.customers + BIG_ACCOUNTS * BIG_CONTACTS);
        assert!(v.orders >= BIG_ACCOUNTS * BIG_ORDERS);
        assert!(v.activity >= BIG_ACCOUNTS * BIG_ACTIVITY);
    }

    #[test]
    fn picks_are_case_expressions_with_quotes_doubled() {
        assert_eq!(
            pick("n", &["a", "O'Brien"]),
            "CASE (n) % 2 WHEN 0 THEN 'a' WHEN 1 THEN 'O''Brien' END"
        );
    }
}
