//! "Send Reminder Email on Sundays": the emails of one Sunday slot, queued once. The server's
//! scheduler decides when a slot is due; the `reminder_runs` row makes it run once, whichever
//! server instance gets there first, and after a restart that missed it.

use crate::mail::{db as outbox, portal_emails, REMINDER};
use crate::settings::db::{flag, PORTAL_ENABLED};
use crate::state::Db;
use sqlx::Row;

/// Queues the reminders of the slot at `slot_at` (ms) unless it ran already: one email per Buyer
/// of each live, active customer with reminders and the portal on. Answers with the number
/// queued, or `None` when the slot had run.
pub async fn run_slot(db: &Db, slot_at: i64, now: i64) -> Result<Option<usize>, sqlx::Error> {
    let open = flag(db, PORTAL_ENABLED).await?;
    let mut tx = db.begin().await?;
    let claimed = sqlx::query(
        "INSERT INTO reminder_runs (slot_at, ran_at, emails) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING",
    )
    .bind(slot_at)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        return Ok(None);
    }
    let rows = if open {
        sqlx::query(
            "SELECT k.id AS customer_id, k.name AS customer, c.id, c.first_name, c.last_name, c.email
             FROM customers k
             JOIN customer_contacts cc ON cc.customer_id = k.id AND cc.role = 'buyer'
             JOIN contacts c ON c.id = cc.contact_id
             WHERE k.sunday_reminders = 1 AND k.portal_enabled = 1 AND k.active = 1 AND k.deleted_at IS NULL
             ORDER BY k.id, c.id",
        )
        .fetch_all(&mut *tx)
        .await?
    } else {
        Vec::new()
    };
    for row in &rows {
        let recipient = crate::contacts::db::recipient_from_row(row)?;
        let customer_id: i64 = row.try_get("customer_id")?;
        let customer: String = row.try_get("customer")?;
        let content = portal_emails::sunday_reminder(&customer, &recipient.first_name);
        let email = outbox::NewEmail {
            kind: REMINDER,
            customer_id: Some(customer_id),
            contact_id: Some(recipient.id),
            to_address: recipient.email,
            to_name: recipient.name,
            subject: content.subject,
            text_body: content.text,
            html_body: content.html,
            created_by: None,
        };
        outbox::enqueue(&mut tx, &email, now).await?;
    }
    sqlx::query("UPDATE reminder_runs SET emails = $1 WHERE slot_at = $2")
        .bind(rows.len() as i64)
        .bind(slot_at)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(rows.len()))
}
