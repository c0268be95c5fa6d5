//! Order queries: placing one (lines, totals, the customer's counters), and reading them back.

use super::{Order, OrderFilter, OrderLine, OrderPage, OrderTotals, ORDERS_PAGE_SIZE};
use crate::domain::CalendarDate;
use crate::listings::Page;
use crate::paging::Position;
use crate::portal::CatalogItem;
use crate::ship_to::ShipTo;
use crate::sql::{Bind, Sql};
use crate::state::Db;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Who placed an order.
pub struct PlacedBy {
    pub contact_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    pub name: String,
}

pub struct NewOrder<'a> {
    pub customer_id: i64,
    pub placed_by: &'a PlacedBy,
    pub ship_to: &'a ShipTo,
    pub po_number: Option<String>,
    pub note: Option<String>,
    pub client_key: &'a str,
    /// Items at their price of now, and quantities.
    pub lines: &'a [(CatalogItem, i64)],
}

impl NewOrder<'_> {
    pub fn total_cents(&self) -> i64 {
        self.lines
            .iter()
            .map(|(item, qty)| item.unit_price_cents * qty)
            .sum()
    }
}

/// The order already placed with this key (a second press of "Place Order").
pub async fn by_client_key(
    conn: &mut AnyConnection,
    customer_id: i64,
    client_key: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM orders WHERE customer_id = $1 AND client_key = $2")
        .bind(customer_id)
        .bind(client_key)
        .fetch_optional(&mut *conn)
        .await
}

/// Stores the order, its lines and the customer's new totals, in the caller's transaction.
pub async fn insert(tx: &mut AnyConnection, order: &NewOrder<'_>, now: i64) -> Result<i64, sqlx::Error> {
    let total = order.total_cents();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (customer_id, contact_id, staff_user_id, placed_by_name, ship_to_id, ship_to_name,
             ship_to_address, po_number, note, client_key, total_cents, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(order.customer_id)
    .bind(order.placed_by.contact_id)
    .bind(order.placed_by.staff_user_id)
    .bind(order.placed_by.name.clone())
    .bind(order.ship_to.id)
    .bind(order.ship_to.name.clone())
    .bind(order.ship_to.address_line())
    .bind(order.po_number.clone())
    .bind(order.note.clone())
    .bind(order.client_key.to_string())
    .bind(total)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for (line_no, (item, quantity)) in order.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO order_lines (order_id, line_no, item_id, sku, name, unit_price_cents, quantity, line_total_cents)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(line_no as i64 + 1)
        .bind(item.item_id)
        .bind(item.sku.clone())
        .bind(item.name.clone())
        .bind(item.unit_price_cents)
        .bind(*quantity)
        .bind(item.unit_price_cents * quantity)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        // The running total stops at its largest value rather than overflow.
        "UPDATE customers SET order_count = order_count + 1,
             order_total_cents = CASE WHEN order_total_cents > $3 - $1 THEN $3 ELSE order_total_cents + $1 END
         WHERE id = $2",
    )
    .bind(total)
    .bind(order.customer_id)
    .bind(i64::MAX / 2)
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

const ORDER_COLUMNS: &str = "o.id, o.customer_id, k.name AS customer_name, o.placed_by_name, o.staff_user_id,
     o.ship_to_name, o.ship_to_address, o.po_number, o.note, o.total_cents, o.created_at";

fn order_from_row(row: &AnyRow) -> Result<Order, sqlx::Error> {
    Ok(Order {
        id: row.try_get("id")?,
        customer_id: row.try_get("customer_id")?,
        customer_name: row.try_get("customer_name")?,
        placed_by_name: row.try_get("placed_by_name")?,
        placed_by_staff: row.try_get::<Option<i64>, _>("staff_user_id")?.is_some(),
        ship_to_name: row.try_get("ship_to_name")?,
        ship_to_address: row.try_get("ship_to_address")?,
        po_number: row.try_get("po_number")?,
        note: row.try_get("note")?,
        total_cents: row.try_get("total_cents")?,
        created_at: row.try_get("created_at")?,
        lines: Vec::new(),
    })
}

/// Fills in the lines of the orders, in one query.
async fn with_lines(db: &Db, mut orders: Vec<Order>) -> Result<Vec<Order>, sqlx::Error> {
    if orders.is_empty() {
        return Ok(orders);
    }
    let mut sql = Sql::default();
    sql.push(
        "SELECT order_id, sku, name, unit_price_cents, quantity, line_total_cents FROM order_lines WHERE order_id IN (",
    );
    for (i, order) in orders.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Bind::Int(order.id));
    }
    sql.push(") ORDER BY order_id, line_no");
    for row in sql.query().fetch_all(&db.pool).await? {
        let order_id: i64 = row.try_get("order_id")?;
        if let Some(order) = orders.iter_mut().find(|o| o.id == order_id) {
            order.lines.push(OrderLine {
                sku: row.try_get("sku")?,
                name: row.try_get("name")?,
                unit_price_cents: row.try_get("unit_price_cents")?,
                quantity: row.try_get("quantity")?,
                line_total_cents: row.try_get("line_total_cents")?,
            });
        }
    }
    Ok(orders)
}

pub async fn find(db: &Db, id: i64) -> Result<Option<Order>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ORDER_COLUMNS} FROM orders o JOIN customers k ON k.id = o.customer_id WHERE o.id = $1"
    )))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(order) = row.as_ref().map(order_from_row).transpose()? else {
        return Ok(None);
    };
    Ok(with_lines(db, vec![order]).await?.pop())
}

/// Which orders a page shows: of one customer, or by customer name words and a date range
/// (milliseconds, `from` inclusive, `until` exclusive).
#[derive(Debug, Default)]
pub struct OrderQuery {
    pub customer_id: Option<i64>,
    pub customer_words: Vec<String>,
    pub from: Option<i64>,
    pub until: Option<i64>,
}

impl OrderQuery {
    /// The Orders page's filter, or the message for the field at fault.
    pub fn from_filter(filter: &OrderFilter) -> Result<OrderQuery, (&'static str, String)> {
        let day = |raw: &str, field: &'static str, what: &str| match raw.trim() {
            "" => Ok(None),
            text => CalendarDate::parse(text, what)
                .map(|d| Some(d.days() * 86_400_000))
                .map_err(|m| (field, m)),
        };
        Ok(OrderQuery {
            customer_id: None,
            customer_words: crate::text_search::words(&filter.customer),
            from: day(&filter.from, "from", "From")?,
            until: day(&filter.to, "to", "To")?.map(|d| d + 86_400_000),
        })
    }

    /// ` WHERE …` the orders' conditions, and whether they name the customer `k` (the caller
    /// joins it).
    async fn conditions(&self, db: &Db) -> Result<(Sql, bool), sqlx::Error> {
        let mut sql = Sql::default();
        sql.push(" WHERE 1 = 1");
        if let Some(customer_id) = self.customer_id {
            sql.push(" AND o.customer_id = ");
            sql.bind(Bind::Int(customer_id));
        }
        let by_customer_text = crate::customers::search::push_customer_words(
            db,
            &mut sql,
            "o.customer_id",
            "k",
            &self.customer_words,
        )
        .await?;
        if let Some(from) = self.from {
            sql.push(" AND o.created_at >= ");
            sql.bind(Bind::Int(from));
        }
        if let Some(until) = self.until {
            sql.push(" AND o.created_at < ");
            sql.bind(Bind::Int(until));
        }
        Ok((sql, by_customer_text))
    }
}

/// Orders newest first, one page (from 0).
pub async fn page(db: &Db, query: &OrderQuery, page: i64) -> Result<Page<Order>, sqlx::Error> {
    let from = "FROM orders o JOIN customers k ON k.id = o.customer_id";
    // The conditions are worked out once: a customer's name is looked up in the customers.
    let (conditions, _) = query.conditions(db).await?;
    let count = Sql {
        text: format!("SELECT COUNT(*) AS n {from}{}", conditions.text),
        binds: conditions.binds.clone(),
    };
    let total: i64 = count.query().fetch_one(&db.pool).await?.try_get("n")?;
    let last = ((total + ORDERS_PAGE_SIZE - 1) / ORDERS_PAGE_SIZE - 1).max(0);
    let page = page.clamp(0, last);
    let mut sql = conditions;
    sql.text = format!("SELECT {ORDER_COLUMNS} {from}{}", sql.text);
    sql.push(" ORDER BY o.created_at DESC, o.id DESC LIMIT ");
    sql.bind(Bind::Int(ORDERS_PAGE_SIZE));
    sql.push(" OFFSET ");
    sql.bind(Bind::Int(page * ORDERS_PAGE_SIZE));
    let orders = sql
        .query()
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(order_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        rows: with_lines(db, orders).await?,
        total,
        page,
    })
}

/// Orders newest first, a page from the cursor order: the Orders page over every customer's
/// orders, where counting and skipping rows would cost more the more orders there are.
pub async fn keyset_page(db: &Db, query: &OrderQuery, position: Position) -> Result<OrderPage, sqlx::Error> {
    let backwards = position.backwards();
    let (cmp, dir) = if backwards { (">", "ASC") } else { ("<", "DESC") };
    let (mut sql, by_customer_text) = query.conditions(db).await?;
    if let Position::After(id) | Position::Before(id) = position {
        sql.push(&format!(
            " AND (o.created_at, o.id) {cmp} (SELECT c.created_at, c.id FROM orders c WHERE c.id = "
        ));
        sql.bind(Bind::Int(id));
        sql.push(")");
    }
    let order = format!(" ORDER BY o.created_at {dir}, o.id {dir}");
    sql.push(&format!("{order} LIMIT "));
    sql.bind(Bind::Int(ORDERS_PAGE_SIZE + 1));
    // The page's orders are chosen on indexes alone, then read with their customers' names:
    // otherwise every matching order is read in full and sorted.
    let join = if by_customer_text {
        " JOIN customers k ON k.id = o.customer_id"
    } else {
        ""
    };
    sql.text = format!(
        "SELECT {ORDER_COLUMNS} FROM orders o JOIN customers k ON k.id = o.customer_id
         WHERE o.id IN (SELECT o.id FROM orders o{join}{}){order}",
        sql.text
    );
    let mut orders = sql
        .query()
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(order_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let more = orders.len() as i64 > ORDERS_PAGE_SIZE;
    orders.truncate(ORDERS_PAGE_SIZE as usize);
    if backwards {
        orders.reverse();
    }
    let cursor_given = matches!(position, Position::After(_) | Position::Before(_));
    Ok(OrderPage {
        rows: with_lines(db, orders).await?,
        has_previous: if backwards { more } else { cursor_given },
        has_next: if backwards {
            matches!(position, Position::Before(_))
        } else {
            more
        },
    })
}

pub async fn totals(db: &Db, customer_id: i64) -> Result<OrderTotals, sqlx::Error> {
    let row = sqlx::query("SELECT order_count, order_total_cents FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(match row {
        Some(row) => OrderTotals {
            count: row.try_get("order_count")?,
            total_cents: row.try_get("order_total_cents")?,
        },
        None => OrderTotals::default(),
    })
}
