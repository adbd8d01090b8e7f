//! `BoundedText`: user-supplied text that is trimmed, not blank and not too long.

/// Trimmed text of 1 to `MAX` characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoundedText<const MAX: usize>(String);

/// Why a text is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to {max} characters and not blank")]
pub struct TextError {
    /// The limit that applies.
    pub max: usize,
}

impl<const MAX: usize> BoundedText<MAX> {
    /// Validates `raw`; surrounding white space is trimmed first.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.chars().count() > MAX {
            return Err(TextError { max: MAX });
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The text as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_bounds_text() {
        assert_eq!(BoundedText::<5>::parse("  abc ").unwrap().as_str(), "abc");
        assert!(BoundedText::<5>::parse("   ").is_err());
        assert!(BoundedText::<5>::parse("abcdef").is_err());
        assert!(BoundedText::<5>::parse("ééééé").is_ok());
    }
}
