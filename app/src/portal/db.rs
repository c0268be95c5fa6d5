//! Portal queries: which customers a contact may act for, the catalog, the chosen customer, the
//! links of invitations and reminders, and staff acting for a customer.

use super::{CatalogItem, PortalCustomer};
use crate::domain::ContactRole;
use crate::sql::{Bind, Sql};
use crate::state::Db;
use sqlx::Row;

/// A contact may act for a customer they are assigned to, while that customer is live, active
/// and has the portal on. `$1` is the contact.
const CUSTOMERS_OF_CONTACT: &str = "FROM customer_contacts cc
     JOIN customers k ON k.id = cc.customer_id
     WHERE cc.contact_id = $1 AND k.deleted_at IS NULL AND k.active = 1 AND k.portal_enabled = 1";

/// The customers the contact may act for, by name; only `only` when the session is bound to one.
pub async fn customers_of_contact(
    db: &Db,
    contact_id: i64,
    only: Option<i64>,
) -> Result<Vec<PortalCustomer>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT k.id, k.name, cc.role {CUSTOMERS_OF_CONTACT} AND ($2 < 0 OR k.id = $2) ORDER BY k.name_key, k.id"
    )))
    .bind(contact_id)
    .bind(only.unwrap_or(-1))
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            Ok(PortalCustomer {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                role: ContactRole::parse(&role).map_err(|e| sqlx::Error::Decode(e.into()))?,
            })
        })
        .collect()
}

/// The items the customer receives that are on sale, by name, at the customer's price: the list
/// price changed by its groups' adjustment. When the customer sees only some locations' inventory
/// (Configure Inventory Availability), only items stocked at one of them.
pub async fn catalog(db: &Db, customer_id: i64) -> Result<Vec<CatalogItem>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    let (adjustment, _) = crate::groups::db::pricing(&mut conn, customer_id).await?;
    let rows = sqlx::query(
        "SELECT i.id, i.sku, i.name, i.description, i.unit_price_cents
         FROM customer_items ci JOIN items i ON i.id = ci.item_id JOIN customers k ON k.id = ci.customer_id
         WHERE ci.customer_id = $1 AND i.active = 1
           AND (k.inventory_limited = 0 OR EXISTS (
               SELECT 1 FROM item_locations il JOIN customer_inventory_locations v
                   ON v.location_id = il.location_id AND v.customer_id = ci.customer_id
               WHERE il.item_id = i.id))
         ORDER BY i.name_key, i.id",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let list_price: i64 = row.try_get("unit_price_cents")?;
            Ok(CatalogItem {
                item_id: row.try_get("id")?,
                sku: row.try_get("sku")?,
                name: row.try_get("name")?,
                description: row.try_get("description")?,
                unit_price_cents: adjustment.apply(list_price),
                list_price_cents: list_price,
            })
        })
        .collect()
}

/// Remembers the customer the contact chose, for the next visit to `/portal`.
pub async fn choose(db: &Db, token_hash: &str, customer_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE contact_sessions SET customer_id = $1 WHERE token_hash = $2")
        .bind(customer_id)
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A link of an invitation or a reminder, with its contact and customer.
pub struct PortalLink {
    pub contact_id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub expires_at: i64,
    pub first_name: String,
    pub email: String,
    pub password_hash: Option<String>,
    /// When an invitation was accepted (or a reminder's link first opened).
    pub used_at: Option<i64>,
}

pub async fn link(db: &Db, token_hash: &str, purpose: &str) -> Result<Option<PortalLink>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT a.contact_id, a.customer_id, a.expires_at, a.used_at, c.first_name, c.email, c.password_hash, k.name
         FROM access_links a
         JOIN contacts c ON c.id = a.contact_id AND c.email_key = a.email_key
         JOIN customers k ON k.id = a.customer_id AND k.deleted_at IS NULL
         WHERE a.token_hash = $1 AND a.purpose = $2",
    )
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        Ok(PortalLink {
            contact_id: row.try_get("contact_id")?,
            customer_id: row.try_get("customer_id")?,
            customer_name: row.try_get("name")?,
            expires_at: row.try_get("expires_at")?,
            first_name: row.try_get("first_name")?,
            email: row.try_get("email")?,
            password_hash: row.try_get("password_hash")?,
            used_at: row.try_get("used_at")?,
        })
    })
    .transpose()
}

/// An invitation was accepted through this link.
/// Marks the link used; `false` when it was already (another request used it first).
pub async fn mark_used(db: &Db, token_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE access_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(now)
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The customer a staff session acts for ("Place order as customer").
pub async fn staff_acting_for(db: &Db, token_hash: &str) -> Result<Option<i64>, sqlx::Error> {
    Ok(sqlx::query_scalar::<_, Option<i64>>(
        "SELECT acting_for_customer_id FROM staff_sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await?
    .flatten())
}

pub async fn set_staff_acting_for(
    tx: &mut sqlx::AnyConnection,
    token_hash: &str,
    customer_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff_sessions SET acting_for_customer_id = $1 WHERE token_hash = $2")
        .bind(customer_id)
        .bind(token_hash)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// A page of the customer's contacts (see [`crate::contacts::db::of_customer_page`]) and where
/// each one's invitation stands; whether there are more, and how many contacts in all.
pub async fn invitees(
    db: &Db,
    customer_id: i64,
    q: &str,
    after: Option<i64>,
    now: i64,
) -> Result<(Vec<super::PortalInvitee>, bool, i64), sqlx::Error> {
    use super::{InvitationStatus, PortalInvitee};
    let page = crate::contacts::db::of_customer_page(db, customer_id, q, after).await?;
    let mut sql = Sql::default();
    sql.push(
        "SELECT o.contact_id, o.status, o.sent_at, o.last_error, a.expires_at, a.used_at
         FROM outbox o LEFT JOIN access_links a ON a.outbox_id = o.id
         WHERE o.customer_id = ",
    );
    sql.bind(Bind::Int(customer_id));
    sql.push(" AND o.kind = ");
    sql.bind(Bind::Text(crate::mail::INVITATION.into()));
    sql.push(" AND o.contact_id IN (-1");
    for row in &page.rows {
        sql.push(", ");
        sql.bind(Bind::Int(row.contact.id));
    }
    sql.push(") ORDER BY o.id");
    let rows = sql.query().fetch_all(&db.pool).await?;
    let mut invitees: Vec<PortalInvitee> = page
        .rows
        .into_iter()
        .map(|c| PortalInvitee {
            contact_id: c.contact.id,
            name: c.contact.full_name(),
            email: c.contact.email,
            role: c.role,
            status: InvitationStatus::NotInvited,
        })
        .collect();
    for row in rows {
        let contact_id: i64 = row.try_get("contact_id")?;
        let Some(invitee) = invitees.iter_mut().find(|i| i.contact_id == contact_id) else {
            continue;
        };
        // Once accepted, an invitation stays accepted, whatever was sent after it.
        if matches!(invitee.status, InvitationStatus::Accepted { .. }) {
            continue;
        }
        let status: String = row.try_get("status")?;
        let used_at: Option<i64> = row.try_get("used_at")?;
        let expires_at: Option<i64> = row.try_get("expires_at")?;
        invitee.status = match (status.as_str(), used_at) {
            (_, Some(at)) => InvitationStatus::Accepted { at },
            ("queued", _) => InvitationStatus::Queued,
            ("failed", _) => InvitationStatus::Failed {
                reason: row
                    .try_get::<Option<String>, _>("last_error")?
                    .unwrap_or_default(),
            },
            _ if expires_at.is_some_and(|e| e <= now) => InvitationStatus::Expired,
            _ => InvitationStatus::Sent {
                at: row.try_get::<Option<i64>, _>("sent_at")?.unwrap_or_default(),
            },
        };
    }
    Ok((invitees, page.has_next, page.total))
}

/// The customer's portal switch and Sunday reminders.
pub async fn customer_flags(db: &Db, customer_id: i64) -> Result<(bool, bool), sqlx::Error> {
    let row = sqlx::query("SELECT portal_enabled, sunday_reminders FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_one(&db.pool)
        .await?;
    Ok((
        row.try_get::<i64, _>("portal_enabled")? != 0,
        row.try_get::<i64, _>("sunday_reminders")? != 0,
    ))
}

/// Sets `portal_enabled` or `sunday_reminders`; `false` when it already had that value.
pub async fn set_customer_flag(
    tx: &mut sqlx::AnyConnection,
    customer_id: i64,
    column: CustomerFlag,
    on: bool,
) -> Result<bool, sqlx::Error> {
    let column = match column {
        CustomerFlag::Portal => "portal_enabled",
        CustomerFlag::SundayReminders => "sunday_reminders",
    };
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE customers SET {column} = $1 WHERE id = $2 AND {column} <> $1"
    )))
    .bind(i64::from(on))
    .bind(customer_id)
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, Copy)]
pub enum CustomerFlag {
    Portal,
    SundayReminders,
}
