//! `GET /shared/files/{request_id}`: a contact downloads a document sent to one of their
//! customers. Each download is recorded for staff to see on the request.

use super::{db, session::contact_from_headers};
use crate::documents::files::{refuse, stream_file};
use crate::error::AppError;
use crate::state::{now_ms, AppState};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

pub async fn download(
    State(state): State<AppState>,
    Path(request_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let session = match contact_from_headers(&state, &headers).await {
        Ok(Some(session)) => session,
        Ok(None) => return refuse(StatusCode::UNAUTHORIZED, AppError::Unauthorized),
        Err(error) => return refuse(error.status(), error),
    };
    // Anything not shared with this contact is "not found", whatever exists behind the number.
    let not_found = || refuse(StatusCode::NOT_FOUND, AppError::NotFound("This document".into()));
    let Ok(request_id) = request_id.parse::<i64>() else {
        return not_found();
    };
    let file_id = match db::shared_file(&state.db, &session, request_id).await {
        Ok(Some(file_id)) => file_id,
        Ok(None) => return not_found(),
        Err(error) => {
            let error = AppError::from(error);
            return refuse(error.status(), error);
        }
    };
    let response = stream_file(&state, &file_id, false).await;
    if !response.status().is_success() {
        return response;
    }
    // Recorded once the file is on its way: staff see downloads that happened.
    let recorded = async {
        let mut conn = state.db.pool.acquire().await?;
        db::record_download(&mut conn, request_id, session.contact_id, now_ms()).await
    };
    if let Err(error) = recorded.await {
        tracing::error!(%error, request_id, "could not record a download");
    }
    response
}
