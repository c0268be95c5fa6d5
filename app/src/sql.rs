//! Statements put together at run time (filters, IN lists, batches) with numbered placeholders,
//! the form both SQLite and PostgreSQL accept.

/// A value bound to a numbered placeholder.
#[derive(Debug, Clone)]
pub enum Bind {
    Int(i64),
    Text(String),
    /// Text or NULL.
    MaybeText(Option<String>),
    /// An integer or NULL.
    MaybeInt(Option<i64>),
}

/// A piece of SQL with its placeholders numbered from 1 in the order the binds are pushed.
#[derive(Debug, Default)]
pub struct Sql {
    pub text: String,
    pub binds: Vec<Bind>,
}

impl Sql {
    pub fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: Bind) {
        self.binds.push(value);
        self.text.push_str(&format!("${}", self.binds.len()));
    }

    /// Appends placeholders for `values`, separated by commas: the inside of an `IN (…)` list.
    pub fn bind_list(&mut self, values: impl IntoIterator<Item = Bind>) {
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(value);
        }
    }

    /// The statement with its values moved in, for statements run once with many values.
    pub fn into_query(self) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
        self.binds.into_iter().fold(
            sqlx::query(sqlx::AssertSqlSafe(self.text)),
            |query, bind| match bind {
                Bind::Int(value) => query.bind(value),
                Bind::Text(value) => query.bind(value),
                Bind::MaybeText(value) => query.bind(value),
                Bind::MaybeInt(value) => query.bind(value),
            },
        )
    }

    /// The statement with its values bound. Its text is made only of this module's fixed pieces
    /// and numbered placeholders; every value typed by a person is bound, never spliced.
    pub fn query(&self) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
        self.binds.iter().fold(
            sqlx::query(sqlx::AssertSqlSafe(self.text.clone())),
            |query, bind| match bind {
                Bind::Int(value) => query.bind(*value),
                Bind::Text(value) => query.bind(value.clone()),
                Bind::MaybeText(value) => query.bind(value.clone()),
                Bind::MaybeInt(value) => query.bind(*value),
            },
        )
    }
}

/// PostgreSQL's estimate of how many rows `sql` yields, from its plan (`EXPLAIN`, not run). A
/// walk in a list's order suits matches spread through it; matches the planner thinks few are
/// better gathered from a trigram index and sorted, since they may cluster in that order.
pub async fn estimated_rows(pool: &sqlx::AnyPool, sql: &Sql) -> Result<i64, sqlx::Error> {
    let explain = Sql {
        text: format!("EXPLAIN {}", sql.text),
        binds: sql.binds.clone(),
    };
    let top: String = sqlx::Row::try_get(&explain.query().fetch_one(pool).await?, 0)?;
    Ok(rows_of_plan_line(&top).unwrap_or(i64::MAX))
}

/// How far a search on PostgreSQL walks a list's order for a page of matches before it gathers
/// them (see `gathers_on_postgres`).
pub const SHORT_WALK: i64 = 2_000;

/// Whether PostgreSQL should gather a search's matches from the trigram index and sort them,
/// given how many its planner expects: between 500 (fewer, and the planner gathers them itself)
/// and 10,000 (more, and they are dense enough for a walk of the list's order). The planner
/// expects matches spread evenly through the order, but names that share a word sort together:
/// 'coffee' customers sorted Z-A, or contacts named Novak, lie 80,000 to 170,000 rows into it.
pub fn gathers_on_postgres(expected_rows: i64) -> bool {
    (500..=10_000).contains(&expected_rows)
}

/// The `rows=` of a line of a text plan: `Seq Scan on t  (cost=0.00..1.10 rows=10 width=4)`.
fn rows_of_plan_line(line: &str) -> Option<i64> {
    let rest = &line[line.find("rows=")? + "rows=".len()..];
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// Whether the connection is to SQLite (else PostgreSQL).
pub fn is_sqlite(conn: &sqlx::AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("sqlite")
}

/// `count` new ids of `table` (its `id`), ascending, for rows inserted with them: known before
/// the rows are written, they need not be matched up with the rows afterwards. On SQLite the
/// caller's transaction must already hold the write lock (have written), so no one else takes
/// them.
pub async fn reserve_ids(
    conn: &mut sqlx::AnyConnection,
    table: &'static str,
    count: usize,
) -> Result<Vec<i64>, sqlx::Error> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if is_sqlite(conn) {
        let last: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COALESCE(MAX(id), 0) FROM {table}"
        )))
        .fetch_one(&mut *conn)
        .await?;
        return Ok((last + 1..=last + count as i64).collect());
    }
    let mut ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)"
    )))
    .bind(count as i64)
    .fetch_all(&mut *conn)
    .await?;
    ids.sort_unstable();
    Ok(ids)
}

/// How many rows of `width` values one multi-row statement carries: about 16,000 values, half
/// SQLite's limit on placeholders (PostgreSQL's is 65,535). Fewer, larger statements matter on
/// SQLite: its trigram indexes write out what they hold at the end of each statement in a
/// transaction, and with 2,000 values a statement a 100,000-row import took 12.9 s, not 8.2.
pub fn rows_per_statement(width: usize) -> usize {
    (16384 / width.max(1)).max(1)
}

impl Sql {
    /// `head VALUES (…), (…) tail`: one multi-row insert of `rows` (each a row's values; give it
    /// [`rows_per_statement`] at a time) for the connection's database. On SQLite the placeholders
    /// are plain `?`: sqlx finds a numbered placeholder's number by asking SQLite for its name,
    /// which SQLite finds by a linear search, so numbered ones cost the square of the values in a
    /// statement (500-row statements made a 100,000-row import take 21 s instead of 2).
    pub fn insert_values(
        conn: &sqlx::AnyConnection,
        head: &str,
        rows: impl Iterator<Item = Vec<Bind>>,
        tail: &str,
    ) -> Sql {
        let positional = is_sqlite(conn);
        let mut sql = Sql::default();
        sql.push(head);
        sql.push(" VALUES ");
        for (i, values) in rows.enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            for (j, value) in values.into_iter().enumerate() {
                if j > 0 {
                    sql.push(", ");
                }
                if positional {
                    sql.binds.push(value);
                    sql.push("?");
                } else {
                    sql.bind(value);
                }
            }
            sql.push(")");
        }
        sql.push(" ");
        sql.push(tail);
        sql
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_line_gives_its_estimated_rows() {
        let line = "Bitmap Heap Scan on customers c  (cost=1603.03..9147.34 rows=3000 width=26)";
        assert_eq!(rows_of_plan_line(line), Some(3000));
        assert_eq!(
            rows_of_plan_line("Result  (cost=0.00..0.01 rows=1 width=4)"),
            Some(1)
        );
        assert_eq!(rows_of_plan_line("no estimate here"), None);
    }

    #[test]
    fn numbered_placeholders_follow_the_binds() {
        let mut sql = Sql::default();
        sql.push("a = ");
        sql.bind(Bind::Int(1));
        sql.push(" AND b = ");
        sql.bind(Bind::Text("x".into()));
        assert_eq!(sql.text, "a = $1 AND b = $2");
    }
}
