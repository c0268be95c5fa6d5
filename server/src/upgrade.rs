//! Changes to stored data that SQL migrations cannot make, run once at start.

use app::sql::{Bind, Sql};
use app::state::{Backend, Db};
use sqlx::Row;

/// A table, the columns its search text is made of, the column to write, and how to make it.
type Refold = (
    &'static str,
    &'static str,
    &'static str,
    fn(&sqlx::any::AnyRow) -> Result<String, sqlx::Error>,
);

/// The settings key recording that search texts are folded (see `app::text_search::fold`).
const FOLDED: &str = "search_texts_folded";

/// Search ignores accents since search texts are folded; texts stored before, with accents, are
/// made again once. Only rows with a character beyond ASCII can differ.
pub async fn fold_search_texts(db: &Db) -> Result<(), sqlx::Error> {
    let done: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(FOLDED)
        .fetch_optional(&db.pool)
        .await?;
    if done.is_some() {
        return Ok(());
    }
    let beyond_ascii = match db.backend {
        Backend::Sqlite => "GLOB '*[^ -~]*'",
        Backend::Postgres => "~ '[^ -~]'",
    };
    let mut tx = db.begin().await?;
    let tables: [Refold; 4] = [
        ("customers", "name, account_number, city", "search_text", |row| {
            Ok(app::customers::search::search_text(
                &row.try_get::<String, _>("name")?,
                row.try_get::<Option<String>, _>("account_number")?.as_deref(),
                &row.try_get::<String, _>("city")?,
            ))
        }),
        ("contacts", "first_name, last_name, email", "name_text", |row| {
            Ok(app::contacts::db::name_text_of(
                &row.try_get::<String, _>("first_name")?,
                &row.try_get::<String, _>("last_name")?,
                &row.try_get::<String, _>("email")?,
            ))
        }),
        ("locations", "name, code, city, country", "search_text", |row| {
            Ok(app::listings::db::location_search_text_of(
                &row.try_get::<String, _>("name")?,
                row.try_get::<Option<String>, _>("code")?.as_deref(),
                &row.try_get::<String, _>("city")?,
                &row.try_get::<String, _>("country")?,
            ))
        }),
        ("items", "sku, name", "search_text", |row| {
            Ok(app::listings::db::item_search_text_of(
                &row.try_get::<String, _>("sku")?,
                &row.try_get::<String, _>("name")?,
            ))
        }),
    ];
    for (table, columns, target, text_of) in tables {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, {columns} FROM {table} WHERE {target} {beyond_ascii}"
        )))
        .fetch_all(&mut *tx)
        .await?;
        for row in &rows {
            let mut sql = Sql::default();
            sql.push(&format!("UPDATE {table} SET {target} = "));
            sql.bind(Bind::Text(text_of(row)?));
            sql.push(" WHERE id = ");
            sql.bind(Bind::Int(row.try_get("id")?));
            sql.query().execute(&mut *tx).await?;
        }
    }
    sqlx::query("INSERT INTO settings (key, value) VALUES ($1, '1')")
        .bind(FOLDED)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}
