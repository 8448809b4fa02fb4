//! Errors of the APIs and the portal: one table of codes, each with its HTTP status. The APIs
//! answer `{"error": code, "message": ...}`; the portal renders the same as a page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A query parameter or path segment that cannot be read: the message names it.
    BadParameter,
    /// No such page, article, expedition, person or launch.
    NotFound,
    /// The store failed; the message says how.
    Internal,
}

/// Every error code, its HTTP status and what it means.
pub const CODES: [(Code, &str, u16, &str); 3] = [
    (
        Code::BadParameter,
        "bad_parameter",
        400,
        "a query parameter or path segment cannot be read; the message names it",
    ),
    (
        Code::NotFound,
        "not_found",
        404,
        "nothing is at this address",
    ),
    (
        Code::Internal,
        "internal",
        500,
        "korolev could not read its store",
    ),
];

impl Code {
    pub fn as_str(self) -> &'static str {
        CODES
            .iter()
            .find(|c| c.0 == self)
            .map_or("internal", |c| c.1)
    }

    pub fn status(self) -> StatusCode {
        let n = CODES.iter().find(|c| c.0 == self).map_or(500, |c| c.2);
        StatusCode::from_u16(n).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: Code,
    pub message: String,
    /// The parameter a bad request names, and why, apart.
    pub parameter: Option<(String, String)>,
}

impl ApiError {
    pub fn bad(parameter: &str, why: impl std::fmt::Display) -> ApiError {
        ApiError {
            code: Code::BadParameter,
            message: format!("{parameter}: {why}"),
            parameter: Some((parameter.to_string(), why.to_string())),
        }
    }

    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError {
            code: Code::NotFound,
            message: what.into(),
            parameter: None,
        }
    }

    pub fn internal(message: String) -> ApiError {
        ApiError {
            code: Code::Internal,
            message,
            parameter: None,
        }
    }
}

impl ApiError {
    /// What the client is told. An internal error's detail (a database message, a query) is
    /// for the server's log, under a number the answer gives.
    pub fn public_message(&self) -> String {
        if self.code != Code::Internal {
            return self.message.clone();
        }
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tracing::error!(error = n, "internal error: {}", self.message.escape_debug());
        format!("korolev could not answer this request (error {n} in the server's log)")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            serde_json::json!({"error": self.code.as_str(), "message": self.public_message()});
        (self.code.status(), Json(body)).into_response()
    }
}

/// An error as the Spaceflight News API answers it, in Django REST Framework's shapes: a bad
/// parameter is `{"name": ["why"]}`, a missing item `{"detail": "No Article matches the given
/// query."}`, a failure `{"detail": "…"}`. korolev's own `/api/v1` keeps [`ApiError`]'s.
#[derive(Debug, Clone)]
pub struct SnapiError {
    pub error: ApiError,
    /// The name of what was not found ("Article", "Blog", "Report").
    pub model: &'static str,
}

impl From<ApiError> for SnapiError {
    fn from(error: ApiError) -> SnapiError {
        SnapiError {
            error,
            model: "Article",
        }
    }
}

impl IntoResponse for SnapiError {
    fn into_response(self) -> Response {
        let e = &self.error;
        let body = match (&e.code, &e.parameter) {
            (Code::BadParameter, Some((name, why))) => serde_json::json!({ name.as_str(): [why] }),
            (Code::NotFound, _) => {
                serde_json::json!({"detail": format!("No {} matches the given query.", self.model)})
            }
            _ => serde_json::json!({"detail": e.public_message()}),
        };
        (e.code.status(), Json(body)).into_response()
    }
}
