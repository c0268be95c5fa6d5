//! Location and item queries, and what keeps a listing in use from being deleted.

use super::{Item, ItemRow, Location, LocationRow, Page, PAGE_SIZE};
use crate::domain::{Money, ValidItem, ValidLocation};
use crate::sql::{Bind, Sql};
use crate::state::Db;
use crate::text_search::{push_like, words};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The `column` of the location or item of the document request `r`, looked up by id. Joined
/// instead, PostgreSQL hashed all 10,000 items for a customer's few hundred requests, or spent
/// longer planning a statement of eight tables than running it.
pub fn of_request(column: &str) -> String {
    format!(
        "COALESCE((SELECT l.{column} FROM locations l WHERE l.id = r.location_id),
             (SELECT i.{column} FROM items i WHERE i.id = r.item_id))"
    )
}

fn location_from_row(row: &AnyRow) -> Result<Location, sqlx::Error> {
    Ok(Location {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        code: row.try_get("code")?,
        street: row.try_get("street")?,
        city: row.try_get("city")?,
        region: row.try_get("region")?,
        postal_code: row.try_get("postal_code")?,
        country: row.try_get("country")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The rows of a search, `PAGE_SIZE` at a time in name order, and how many match in all.
async fn page_of<T>(
    db: &Db,
    select: &str,
    from: &str,
    q: &str,
    page: i64,
    read: fn(&AnyRow) -> Result<T, sqlx::Error>,
) -> Result<Page<T>, sqlx::Error> {
    let mut filter = Sql::default();
    filter.push(" FROM ");
    filter.push(from);
    filter.push(" WHERE 1 = 1");
    push_like(&mut filter, "t.search_text", &words(q));
    let count = Sql {
        text: format!("SELECT COUNT(*){}", filter.text),
        binds: filter.binds.clone(),
    };
    let total: i64 = count.query().fetch_one(&db.pool).await?.try_get(0)?;
    let page = page.clamp(0, ((total - 1).max(0)) / PAGE_SIZE);
    let mut rows = Sql {
        text: format!("SELECT {select}{}", filter.text),
        binds: filter.binds,
    };
    // Rows are skipped from whichever end of the order is nearer: the last page of 10,000 items
    // skipped 9,950 of them (92 ms at 16 clients on PostgreSQL).
    let (skip, take) = page_window(total, page);
    let backwards = skip.is_from_end();
    rows.push(if backwards {
        " ORDER BY t.name_key DESC, t.id DESC LIMIT "
    } else {
        " ORDER BY t.name_key, t.id LIMIT "
    });
    rows.bind(Bind::Int(take));
    rows.push(" OFFSET ");
    rows.bind(Bind::Int(skip.rows()));
    let mut rows = rows
        .query()
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(read)
        .collect::<Result<Vec<_>, _>>()?;
    if backwards {
        rows.reverse();
    }
    Ok(Page { rows, total, page })
}

/// How many rows to skip, counted from the start of the order or from its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    FromStart(i64),
    FromEnd(i64),
}

impl Skip {
    fn is_from_end(self) -> bool {
        matches!(self, Skip::FromEnd(_))
    }

    fn rows(self) -> i64 {
        match self {
            Skip::FromStart(n) | Skip::FromEnd(n) => n,
        }
    }
}

/// Where page `page` (zero-based, within the pages of `total` rows) starts, from the nearer end,
/// and how many rows it has.
fn page_window(total: i64, page: i64) -> (Skip, i64) {
    let start = page * PAGE_SIZE;
    let take = PAGE_SIZE.min(total - start).max(0);
    let after = total - start - take;
    if after < start {
        (Skip::FromEnd(after), take)
    } else {
        (Skip::FromStart(start), take)
    }
}

pub async fn location_page(db: &Db, q: &str, page: i64) -> Result<Page<LocationRow>, sqlx::Error> {
    page_of(
        db,
        "t.id, t.name, t.code, t.city, t.country, \
         (SELECT COUNT(*) FROM documents d WHERE d.location_id = t.id AND d.replaced_at IS NULL) AS documents",
        "locations t",
        q,
        page,
        |row| {
            Ok(LocationRow {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                code: row.try_get("code")?,
                city: row.try_get("city")?,
                country: row.try_get("country")?,
                documents: row.try_get("documents")?,
            })
        },
    )
    .await
}

pub async fn item_page(db: &Db, q: &str, page: i64) -> Result<Page<ItemRow>, sqlx::Error> {
    page_of(
        db,
        "t.id, t.sku, t.name, t.unit_price_cents, t.active, \
         (SELECT COUNT(*) FROM item_locations l WHERE l.item_id = t.id) AS locations",
        "items t",
        q,
        page,
        |row| {
            Ok(ItemRow {
                id: row.try_get("id")?,
                sku: row.try_get("sku")?,
                name: row.try_get("name")?,
                unit_price: Money::from_cents(row.try_get("unit_price_cents")?),
                active: row.try_get::<i64, _>("active")? != 0,
                locations: row.try_get("locations")?,
            })
        },
    )
    .await
}

/// Every location by name, for choosing which produce an item (a supplier has a handful).
pub async fn all_locations(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name FROM locations ORDER BY name_key, id LIMIT 1000")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
        .collect()
}

pub async fn find_location(db: &Db, id: i64) -> Result<Option<Location>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM locations WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(location_from_row).transpose()
}

fn location_search_text(location: &ValidLocation) -> String {
    location_search_text_of(
        &location.name,
        location.code.as_deref(),
        &location.address.city,
        &location.address.country,
    )
}

/// What a location is found by: name, code, city and country, folded.
pub fn location_search_text_of(name: &str, code: Option<&str>, city: &str, country: &str) -> String {
    crate::text_search::fold(&format!("{name} / {} / {city} / {country}", code.unwrap_or("")))
}

/// What an item is found by: SKU and name, folded.
pub fn item_search_text_of(sku: &str, name: &str) -> String {
    crate::text_search::fold(&format!("{sku} / {name}"))
}

fn bind_location<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    l: &ValidLocation,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let a = &l.address;
    query
        .bind(l.name.clone())
        .bind(l.name.to_lowercase())
        .bind(l.code.clone())
        .bind(l.code_key())
        .bind(a.street.clone())
        .bind(a.city.clone())
        .bind(a.region.clone())
        .bind(a.postal_code.clone())
        .bind(a.country.clone())
        .bind(location_search_text(l))
}

pub async fn insert_location(db: &Db, location: &ValidLocation, now: i64) -> Result<i64, sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO locations (name, name_key, code, code_key, street, city, region, postal_code, country,
             search_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    );
    bind_location(query, location)
        .bind(now)
        .fetch_one(&db.pool)
        .await?
        .try_get("id")
}

/// Saves a location over `version`; `false` when it is at another version (or gone).
pub async fn update_location(
    db: &Db,
    id: i64,
    version: i64,
    location: &ValidLocation,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let query = sqlx::query(
        "UPDATE locations SET name = $1, name_key = $2, code = $3, code_key = $4, street = $5, city = $6,
             region = $7, postal_code = $8, country = $9, search_text = $10, updated_at = $11,
             version = version + 1
         WHERE id = $12 AND version = $13",
    );
    let done = bind_location(query, location)
        .bind(now)
        .bind(id)
        .bind(version)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The name of the location, other than `except`, holding this internal code.
pub async fn code_holder(
    db: &Db,
    code_key: &str,
    except: Option<i64>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM locations WHERE code_key = $1 AND id <> $2")
        .bind(code_key)
        .bind(except.unwrap_or(-1))
        .fetch_optional(&db.pool)
        .await
}

/// The name of the item, other than `except`, holding this SKU.
pub async fn sku_holder(db: &Db, sku_key: &str, except: Option<i64>) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM items WHERE sku_key = $1 AND id <> $2")
        .bind(sku_key)
        .bind(except.unwrap_or(-1))
        .fetch_optional(&db.pool)
        .await
}

pub async fn find_item(db: &Db, id: i64) -> Result<Option<Item>, sqlx::Error> {
    let Some(row) = sqlx::query("SELECT * FROM items WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    let location_ids = sqlx::query_scalar(
        "SELECT l.location_id FROM item_locations l JOIN locations n ON n.id = l.location_id
         WHERE l.item_id = $1 ORDER BY n.name_key",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(Some(Item {
        id: row.try_get("id")?,
        sku: row.try_get("sku")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        unit_price: Money::from_cents(row.try_get("unit_price_cents")?),
        active: row.try_get::<i64, _>("active")? != 0,
        location_ids,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    }))
}

/// How many of `ids` are locations.
pub async fn count_locations(db: &Db, ids: &[i64]) -> Result<i64, sqlx::Error> {
    if ids.is_empty() {
        return Ok(0);
    }
    let mut sql = Sql::default();
    sql.push("SELECT COUNT(*) FROM locations WHERE id IN (");
    push_ids(&mut sql, ids);
    sql.push(")");
    sql.query().fetch_one(&db.pool).await?.try_get(0)
}

fn push_ids(sql: &mut Sql, ids: &[i64]) {
    sql.bind_list(ids.iter().copied().map(Bind::Int));
}

fn bind_item<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    item: &ValidItem,
    active: bool,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    query
        .bind(item.sku.clone())
        .bind(item.sku_key())
        .bind(item.name.clone())
        .bind(item.name.to_lowercase())
        .bind(item.description.clone())
        .bind(item.unit_price.cents())
        .bind(i64::from(active))
        .bind(item_search_text_of(&item.sku, &item.name))
}

async fn set_item_locations(
    conn: &mut AnyConnection,
    item_id: i64,
    location_ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM item_locations WHERE item_id = $1")
        .bind(item_id)
        .execute(&mut *conn)
        .await?;
    for location_id in location_ids {
        sqlx::query("INSERT INTO item_locations (item_id, location_id) VALUES ($1, $2)")
            .bind(item_id)
            .bind(location_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn insert_item(
    db: &Db,
    item: &ValidItem,
    active: bool,
    location_ids: &[i64],
    now: i64,
) -> Result<i64, sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO items (sku, sku_key, name, name_key, description, unit_price_cents, active, search_text,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    );
    let mut tx = db.begin().await?;
    let id: i64 = bind_item(query, item, active)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
    set_item_locations(&mut tx, id, location_ids).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves an item and the locations producing it over `version`; `false` when it is at another
/// version (or gone).
#[allow(clippy::too_many_arguments)]
pub async fn update_item(
    db: &Db,
    id: i64,
    version: i64,
    item: &ValidItem,
    active: bool,
    location_ids: &[i64],
    now: i64,
) -> Result<bool, sqlx::Error> {
    let query = sqlx::query(
        "UPDATE items SET sku = $1, sku_key = $2, name = $3, name_key = $4, description = $5,
             unit_price_cents = $6, active = $7, search_text = $8, updated_at = $9, version = version + 1
         WHERE id = $10 AND version = $11",
    );
    let mut tx = db.begin().await?;
    let done = bind_item(query, item, active)
        .bind(now)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    set_item_locations(&mut tx, id, location_ids).await?;
    tx.commit().await?;
    Ok(true)
}

/// What uses a location or an item, in words: "customers Coffee Uptown, Coffee Downtown".
#[derive(Debug, Default)]
pub struct Uses(pub Vec<String>);

/// Names shown per kind of use; one more is read to know whether there are more.
const SHOWN: usize = 5;

/// Each kind of use of a location or an item: how it is said, and the names of the users (at
/// most `SHOWN + 1`, as `LIMIT 6`).
fn kinds_of_use(listing: Listing) -> &'static [(&'static str, &'static str)] {
    match listing {
        Listing::Location => &[
            (
                "customers",
                "SELECT c.name FROM customer_locations u JOIN customers c ON c.id = u.customer_id
                 WHERE u.location_id = $1 ORDER BY c.name_key LIMIT 6",
            ),
            (
                "documents",
                "SELECT t.name || ': ' || d.title FROM documents d JOIN document_types t ON t.id = d.type_id
                 WHERE d.location_id = $1 ORDER BY d.id LIMIT 6",
            ),
            (
                "document requests of customers",
                "SELECT DISTINCT c.name, c.name_key FROM document_requests r JOIN customers c ON c.id = r.customer_id
                 WHERE r.location_id = $1 ORDER BY c.name_key LIMIT 6",
            ),
            (
                "items it produces",
                "SELECT i.name FROM item_locations l JOIN items i ON i.id = l.item_id
                 WHERE l.location_id = $1 ORDER BY i.name_key LIMIT 6",
            ),
        ],
        Listing::Item => &[
            (
                "customers",
                "SELECT c.name FROM customer_items u JOIN customers c ON c.id = u.customer_id
                 WHERE u.item_id = $1 ORDER BY c.name_key LIMIT 6",
            ),
            (
                "documents",
                "SELECT t.name || ': ' || d.title FROM documents d JOIN document_types t ON t.id = d.type_id
                 WHERE d.item_id = $1 ORDER BY d.id LIMIT 6",
            ),
            (
                "document requests of customers",
                "SELECT DISTINCT c.name, c.name_key FROM document_requests r JOIN customers c ON c.id = r.customer_id
                 WHERE r.item_id = $1 ORDER BY c.name_key LIMIT 6",
            ),
        ],
    }
}

pub async fn uses(db: &Db, listing: Listing, id: i64) -> Result<Uses, sqlx::Error> {
    let mut found = Vec::new();
    for (what, sql) in kinds_of_use(listing) {
        let names: Vec<String> = sqlx::query_scalar(*sql).bind(id).fetch_all(&db.pool).await?;
        if names.is_empty() {
            continue;
        }
        let more = if names.len() > SHOWN { " and more" } else { "" };
        let shown = names.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
        found.push(format!("{what} {shown}{more}"));
    }
    Ok(Uses(found))
}

/// Deletes a location or an item (`table` is `locations` or `items`); `false` when it was gone.
/// A use that appears between the check and the delete fails the delete on a foreign key.
pub async fn delete(db: &Db, table: Listing, id: i64) -> Result<bool, sqlx::Error> {
    let sql = match table {
        Listing::Location => "DELETE FROM locations WHERE id = $1",
        Listing::Item => "DELETE FROM items WHERE id = $1",
    };
    Ok(sqlx::query(sql).bind(id).execute(&db.pool).await?.rows_affected() == 1)
}

#[derive(Debug, Clone, Copy)]
pub enum Listing {
    Location,
    Item,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_read_from_the_nearer_end() {
        assert_eq!(page_window(0, 0), (Skip::FromStart(0), 0));
        assert_eq!(page_window(120, 0), (Skip::FromStart(0), 50));
        assert_eq!(page_window(120, 1), (Skip::FromEnd(20), 50));
        assert_eq!(page_window(200, 1), (Skip::FromStart(50), 50));
        // The last page: 20 rows, none after them.
        assert_eq!(page_window(120, 2), (Skip::FromEnd(0), 20));
        assert_eq!(page_window(10_000, 199), (Skip::FromEnd(0), 50));
        assert_eq!(page_window(10_000, 150), (Skip::FromEnd(2_450), 50));
        assert_eq!(page_window(10_000, 99), (Skip::FromStart(4_950), 50));
    }
}
