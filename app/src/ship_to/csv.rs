//! `GET /customers/{id}/ship-to-locations.csv`: "Download Ship-To Locations", for staff.

use crate::auth::session::staff_from_headers;
use crate::documents::files::refuse;
use crate::error::AppError;
use crate::spreadsheet::{attachment, csv_line, CSV};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

pub async fn download(
    State(state): State<AppState>,
    Path(customer_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match csv_of(&state, &customer_id, &headers).await {
        Ok((name, body)) => attachment(CSV, &name, body.into_bytes()),
        Err(error) => refuse(error.status(), error),
    }
}

async fn csv_of(
    state: &AppState,
    customer_id: &str,
    headers: &HeaderMap,
) -> Result<(String, String), AppError> {
    staff_from_headers(state, headers)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let customer_id: i64 = customer_id
        .parse()
        .map_err(|_| AppError::NotFound("This customer".into()))?;
    crate::customers::api::live_customer(&state.db, customer_id).await?;
    let mut conn = state.db.pool.acquire().await?;
    let ship_tos = super::db::of_customer(&mut conn, customer_id).await?;
    let mut body = String::from("\u{feff}");
    body.push_str(&csv_line(&[
        "id",
        "name",
        "street",
        "city",
        "region",
        "postal_code",
        "country",
        "default",
    ]));
    for s in ship_tos {
        body.push_str(&csv_line(&[
            s.id.to_string(),
            s.name,
            s.street,
            s.city,
            s.region.unwrap_or_default(),
            s.postal_code,
            s.country,
            if s.is_default { "yes" } else { "no" }.to_string(),
        ]));
    }
    Ok((format!("ship-to-locations-{customer_id}.csv"), body))
}
