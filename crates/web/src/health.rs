//! `/health`: whether this server can do its work — its store answers at the schema this
//! korolev writes, and its fetch scheduler (when it runs one) is going round. 200 when all is
//! well, 503 when not, with a JSON body saying which.

use crate::App;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// A scheduler that has not gone round for this long is taken to have stopped: it looks every
/// few seconds, and a round of fetching reports as it goes.
const SCHEDULER_SILENT: i64 = 15 * 60;

/// When the fetch scheduler last went round (unix seconds), kept by the scheduler.
pub type Heartbeat = Arc<AtomicI64>;

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new().route("/health", get(health))
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct StoreHealth {
    ok: bool,
    /// The schema the store is at, when it could be read.
    schema: Option<i64>,
    /// The schema this korolev writes.
    expected: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct FetchHealth {
    running: bool,
    /// Seconds since the scheduler last went round.
    last_round_secs_ago: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Health {
    /// `ok` or `failing`.
    status: &'static str,
    version: &'static str,
    store: StoreHealth,
    /// Absent when this server fetches nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    fetch: Option<FetchHealth>,
}

/// Whether this server can do its work.
#[utoipa::path(get, path = "/health", tag = "korolev",
    responses(
        (status = 200, body = Health, description = "All is well"),
        (status = 503, body = Health, description = "The store or the fetch scheduler is not")))]
pub(crate) async fn health(State(app): State<Arc<App>>) -> Response {
    let expected = korolev_store::SCHEMA_VERSION;
    let schema = match app.read(|s| s.schema_version()).await {
        Ok(v) => Some(v),
        Err(e) => {
            tracing::error!("health: the store cannot be read: {}", e.message);
            None
        }
    };
    let store = StoreHealth {
        ok: schema == Some(expected),
        schema,
        expected,
    };
    let fetch = app.heartbeat.as_ref().map(|beat| {
        let at = beat.load(Ordering::Relaxed);
        let ago = (at > 0).then(|| (korolev_facts::when::unix_now() - at).max(0));
        FetchHealth {
            running: ago.is_some_and(|a| a < SCHEDULER_SILENT),
            last_round_secs_ago: ago,
        }
    });
    let ok = store.ok && fetch.as_ref().is_none_or(|f| f.running);
    let body = Health {
        status: if ok { "ok" } else { "failing" },
        version: env!("CARGO_PKG_VERSION"),
        store,
        fetch,
    };
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}
