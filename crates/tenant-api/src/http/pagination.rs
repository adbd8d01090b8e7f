//! Query parameters and response headers shared by the paginated list endpoints.

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::ApiError;
use crate::domain::page::{Page, PageRequest};

/// Response header carrying the cursor of the next page.
pub const NEXT_CURSOR: HeaderName = HeaderName::from_static("x-next-cursor");

/// `?limit=&cursor=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Rows per page, 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `X-Next-Cursor` of the previous page (empty: the first page).
    #[param(pattern = r"^[0-9]{0,18}$")]
    pub cursor: Option<String>,
}

impl ListParams {
    /// The validated page request.
    pub fn page(&self) -> Result<PageRequest, ApiError> {
        Ok(PageRequest::parse(self.limit, self.cursor.as_deref())?)
    }
}

/// Splits a page into its rows and the `X-Next-Cursor` header (absent on the last page).
pub fn with_cursor<T, U>(page: Page<T>, map: impl FnMut(T) -> U) -> (HeaderMap, Vec<U>) {
    let mut headers = HeaderMap::new();
    if let Some(cursor) = page.next_cursor.and_then(|c| HeaderValue::try_from(c).ok()) {
        headers.insert(NEXT_CURSOR, cursor);
    }
    (headers, page.rows.into_iter().map(map).collect())
}
