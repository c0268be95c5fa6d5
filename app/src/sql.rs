//! Statements put together at run time (filters, IN lists, batches) with numbered placeholders,
//! the form both SQLite and PostgreSQL accept.

/// A value bound to a numbered placeholder.
#[derive(Debug, Clone)]
pub enum Bind {
    Int(i64),
    Text(String),
    /// Text or NULL.
    MaybeText(Option<String>),
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

    /// The statement with its values bound. Its text is made only of this module's fixed pieces
    /// and numbered placeholders; every value typed by a person is bound, never spliced.
    pub fn query(&self) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
        self.binds.iter().fold(
            sqlx::query(sqlx::AssertSqlSafe(self.text.clone())),
            |query, bind| match bind {
                Bind::Int(value) => query.bind(*value),
                Bind::Text(value) => query.bind(value.clone()),
                Bind::MaybeText(value) => query.bind(value.clone()),
            },
        )
    }
}

impl Sql {
    /// `head VALUES (…), (…) tail`: one multi-row insert of `rows`, each a row's values.
    pub fn insert_values(head: &str, rows: impl Iterator<Item = Vec<Bind>>, tail: &str) -> Sql {
        let mut sql = Sql::default();
        sql.push(head);
        sql.push(" VALUES ");
        for (i, values) in rows.enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            for (j, value) in values.into_iter().enumerate() {
                if j > 0 {
                    sql.push(", ");
                }
                sql.bind(value);
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
    fn numbered_placeholders_follow_the_binds() {
        let mut sql = Sql::default();
        sql.push("a = ");
        sql.bind(Bind::Int(1));
        sql.push(" AND b = ");
        sql.bind(Bind::Text("x".into()));
        assert_eq!(sql.text, "a = $1 AND b = $2");
    }

    #[test]
    fn a_multi_row_insert_numbers_every_value() {
        let rows = [vec![Bind::Int(1), Bind::Int(2)], vec![Bind::Int(3), Bind::Int(4)]];
        let sql = Sql::insert_values("INSERT INTO t (a, b)", rows.into_iter(), "ON CONFLICT DO NOTHING");
        assert_eq!(
            sql.text,
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING"
        );
    }
}
