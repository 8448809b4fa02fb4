//! `/metrics` in the Prometheus text format (OpenMetrics 1.0, which Prometheus reads):
//! requests by route, method and status, their latency by route, open connections, the
//! store's size and counts, and the fetch scheduler's rounds, pages and failures. Served on a
//! listener of its own (`metrics_bind`), never on the public port: what is counted stays
//! with the operator.
//!
//! Routes are counted by the pattern they matched (`/api/v1/astronauts/{slug}`), so a
//! crawler asking for a million paths adds one series ("unmatched"), not a million.

use crate::App;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::Arc;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

/// The route pattern a request matched, carried on its answer (and kept with a cached one).
#[derive(Clone, Debug)]
pub(crate) struct RouteLabel(pub(crate) Arc<str>);

/// What the server and its fetch scheduler count, shared by both.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    pub(crate) open_connections: Gauge,
    store_bytes: Gauge,
    rows: Family<OutcomeLabels, Gauge>,
    fetch_rounds: Counter,
    fetch_pages: Family<OutcomeLabels, Counter>,
    fetch_source_failures: Counter,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::with_prefix("korolev");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern, method and status",
            requests.clone(),
        );
        // From half a millisecond to about sixteen seconds.
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route pattern",
            latency.clone(),
        );
        let open_connections = Gauge::default();
        registry.register(
            "http_open_connections",
            "Connections open now",
            open_connections.clone(),
        );
        let store_bytes = Gauge::default();
        registry.register(
            "store_bytes",
            "Size of the store's files (database and write-ahead log)",
            store_bytes.clone(),
        );
        let rows = Family::<OutcomeLabels, Gauge>::default();
        registry.register(
            "store_rows",
            "What the store holds: documents, articles, entities, claims",
            rows.clone(),
        );
        let fetch_rounds = Counter::default();
        registry.register(
            "fetch_rounds",
            "Rounds of the fetch scheduler that fetched something",
            fetch_rounds.clone(),
        );
        let fetch_pages = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "fetch_pages",
            "Pages the fetcher handled, by outcome",
            fetch_pages.clone(),
        );
        let fetch_source_failures = Counter::default();
        registry.register(
            "fetch_source_failures",
            "Sources whose fetch failed",
            fetch_source_failures.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            open_connections,
            store_bytes,
            rows,
            fetch_rounds,
            fetch_pages,
            fetch_source_failures,
        }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub(crate) fn request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_string(),
                method: method.to_string(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_string(),
            })
            .observe(seconds);
    }

    /// Counts one round of the fetch scheduler.
    pub fn fetched(&self, s: &korolev_fetch::Summary) {
        self.fetch_rounds.inc();
        for (outcome, n) in [
            ("new", s.pages_new),
            ("revised", s.pages_revised),
            ("unchanged", s.pages_unchanged),
            ("not_modified", s.pages_not_modified),
            ("skipped", s.pages_skipped),
            ("failed", s.pages_failed),
        ] {
            self.fetch_pages
                .get_or_create(&OutcomeLabels { outcome })
                .inc_by(n as u64);
        }
        self.fetch_source_failures.inc_by(s.sources_failed as u64);
    }

    /// The text Prometheus scrapes.
    fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// The routes of the metrics listener.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(app)
}

async fn metrics(State(app): State<Arc<App>>) -> Response {
    // The store's size and counts as they are at the scrape.
    let path = app.db_path.clone();
    let bytes: u64 = ["", "-wal"]
        .iter()
        .filter_map(|ext| {
            let mut p = path.clone().into_os_string();
            p.push(ext);
            std::fs::metadata(p).ok()
        })
        .map(|m| m.len())
        .sum();
    app.metrics
        .store_bytes
        .set(i64::try_from(bytes).unwrap_or(i64::MAX));
    if let Ok(c) = app.read(|s| s.counts()).await {
        for (outcome, n) in [
            ("documents", c.documents),
            ("articles", c.articles),
            ("entities", c.entities),
            ("claims", c.claims),
        ] {
            app.metrics
                .rows
                .get_or_create(&OutcomeLabels { outcome })
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
    }
    match app.metrics.encode() {
        Ok(text) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            text,
        )
            .into_response(),
        Err(_) => (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "the metrics could not be written",
        )
            .into_response(),
    }
}
