//! Contacts' search texts (their own text followed by their live customers' texts) are kept by
//! database triggers, one contact at a time. That suits a person's edit; an import that assigns
//! 100,000 contacts on PostgreSQL asks the triggers to wait ([`later`]) and remakes the texts
//! it touched in a few set-based statements ([`remake_of_contacts`], [`remake_of_customers`]).
//! SQLite's triggers run in-process and cost little, so there these calls do nothing.

use crate::sql::is_sqlite;
use sqlx::AnyConnection;

/// How many ids one remaking statement names.
const IDS_PER_STATEMENT: usize = 1000;

/// Remaking more texts than this first brings the planner's statistics up to date.
const FRESH_STATISTICS_FROM: usize = 2_000;

/// Leaves contacts' search texts to the remaking calls until the transaction ends (a
/// transaction-local setting the PostgreSQL triggers read).
pub async fn later(tx: &mut AnyConnection) -> Result<(), sqlx::Error> {
    if !is_sqlite(tx) {
        sqlx::query("SELECT set_config('clientele.contact_search_later', 'on', true)")
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Remakes the search texts of these contacts.
pub async fn remake_of_contacts(tx: &mut AnyConnection, contact_ids: &[i64]) -> Result<(), sqlx::Error> {
    remake(tx, "id IN (IDS)", contact_ids).await
}

/// Remakes the search texts of every contact of these customers.
pub async fn remake_of_customers(tx: &mut AnyConnection, customer_ids: &[i64]) -> Result<(), sqlx::Error> {
    remake(
        tx,
        "id IN (SELECT contact_id FROM customer_contacts WHERE customer_id IN (IDS))",
        customer_ids,
    )
    .await
}

/// Remakes the texts of the contacts `filter` picks, its `IDS` standing for a chunk of `ids`.
async fn remake(tx: &mut AnyConnection, filter: &str, ids: &[i64]) -> Result<(), sqlx::Error> {
    if is_sqlite(tx) {
        return Ok(());
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() > FRESH_STATISTICS_FROM {
        // The planner's statistics do not know the rows this transaction wrote: planned from
        // them, remaking 100,000 contacts read every assignment for each (minutes, not
        // seconds). ANALYZE counts the transaction's own rows.
        sqlx::query("ANALYZE customers, contacts, customer_contacts")
            .execute(&mut *tx)
            .await?;
    }
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        // Ids are integers: spliced, they make one statement text per chunk length at most.
        let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let statement = format!(
            "UPDATE contacts SET search_text = contact_search_text(id, name_text) WHERE {}",
            filter.replace("IDS", &list)
        );
        sqlx::query(sqlx::AssertSqlSafe(statement))
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}
