//! Keyset pagination: a page request (limit + opaque cursor) and a page of results.

/// Largest page a client may ask for.
pub const MAX_LIMIT: u32 = 100;
/// Page size when the client does not say.
pub const DEFAULT_LIMIT: u32 = 50;
/// Longest cursor accepted: 18 digits always fit an `i64`.
const MAX_CURSOR_DIGITS: usize = 18;

/// Which page to read: at most `limit` rows with an id greater than `after`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// Rows per page, 1..=[`MAX_LIMIT`].
    pub limit: u32,
    /// Exclusive lower bound on the id (0 for the first page).
    pub after: i64,
}

/// Why a page request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// `limit` outside 1..=100.
    #[error("limit must be between 1 and {MAX_LIMIT}")]
    Limit,
    /// A cursor this service did not produce.
    #[error("cursor is not valid")]
    Cursor,
}

impl PageRequest {
    /// Validates the raw `limit` and `cursor` query parameters.
    pub fn parse(limit: Option<u32>, cursor: Option<&str>) -> Result<Self, PageError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(PageError::Limit);
        }
        let after = match cursor.filter(|c| !c.is_empty()) {
            None => 0,
            Some(cursor) => decode_cursor(cursor).ok_or(PageError::Cursor)?,
        };
        Ok(Self { limit, after })
    }

    /// How many rows to fetch: one more than the page, to learn whether another page follows.
    pub fn fetch_limit(&self) -> i64 {
        i64::from(self.limit) + 1
    }
}

/// One page of rows plus the cursor of the next page, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The rows, ordered by id.
    pub rows: Vec<T>,
    /// Opaque cursor for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched rows, trimming the extra one into a cursor.
    pub fn from_overfetch(
        mut rows: Vec<T>,
        request: PageRequest,
        id_of: impl Fn(&T) -> i64,
    ) -> Self {
        let limit = request.limit as usize;
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|row| encode_cursor(id_of(row)))
        } else {
            None
        };
        Self { rows, next_cursor }
    }
}

/// The cursor is the last id of the page, in decimal: short, and exactly describable in the
/// OpenAPI document (`^[0-9]{0,18}$`), so every cursor a client can form is either valid or
/// refused by the document itself.
fn encode_cursor(id: i64) -> String {
    id.to_string()
}

fn decode_cursor(cursor: &str) -> Option<i64> {
    if cursor.len() > MAX_CURSOR_DIGITS || !cursor.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    cursor.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_garbage_is_refused() {
        let page = Page::from_overfetch(vec![1, 2, 3], PageRequest { limit: 2, after: 0 }, |x| *x);
        assert_eq!(page.rows, vec![1, 2]);
        let cursor = page.next_cursor.unwrap();
        assert_eq!(PageRequest::parse(None, Some(&cursor)).unwrap().after, 2);
        assert_eq!(PageRequest::parse(None, Some("!!")), Err(PageError::Cursor));
        for garbage in ["aWQ6LTE", "-1", "+1", "1.5", " 1", "1234567890123456789"] {
            assert_eq!(
                PageRequest::parse(None, Some(garbage)),
                Err(PageError::Cursor),
                "{garbage}"
            );
        }
    }

    #[test]
    fn limit_must_be_between_1_and_100() {
        assert_eq!(PageRequest::parse(Some(0), None), Err(PageError::Limit));
        assert_eq!(PageRequest::parse(Some(101), None), Err(PageError::Limit));
        assert_eq!(PageRequest::parse(None, None).unwrap().limit, DEFAULT_LIMIT);
    }

    #[test]
    fn last_page_has_no_cursor() {
        let page = Page::from_overfetch(vec![1, 2], PageRequest { limit: 2, after: 0 }, |x| *x);
        assert_eq!(page.next_cursor, None);
    }
}
