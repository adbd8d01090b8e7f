//! Reading a tenant from the Host header in subdomain mode.

use crate::config::strip_port;

/// The tenant label of `host` under `main_domain`: `acme` for `acme.api.example.com` under
/// `api.example.com`. Any host below the main domain names a tenant, and the whole prefix is that
/// name, so a malformed one (`.example.com`, `a.b.example.com`, `ácme.example.com`) is handed on
/// to be refused like a malformed header, not read as "no tenant". `x.notexample.com` is not
/// under `example.com`, and the main domain itself names no tenant.
pub fn tenant_label<'h>(host: &'h str, main_domain: &str) -> Option<&'h str> {
    if main_domain.is_empty() {
        return None;
    }
    let host = strip_port(host).trim_end_matches('.');
    let cut = host.len().checked_sub(main_domain.len() + 1)?;
    if !host.is_char_boundary(cut) {
        return None;
    }
    let (prefix, rest) = host.split_at(cut);
    rest.strip_prefix('.')
        .is_some_and(|domain| domain.eq_ignore_ascii_case(main_domain))
        .then_some(prefix)
}

#[cfg(test)]
mod tests {
    use super::tenant_label;

    #[test]
    fn takes_the_single_label_below_the_main_domain() {
        assert_eq!(
            tenant_label("acme.example.com", "example.com"),
            Some("acme")
        );
        assert_eq!(
            tenant_label("acme.example.com:8000", "example.com"),
            Some("acme")
        );
        assert_eq!(
            tenant_label("ACME.Example.COM", "example.com"),
            Some("ACME")
        );
        assert_eq!(
            tenant_label("acme.api.example.com", "api.example.com"),
            Some("acme")
        );
    }

    #[test]
    fn refuses_lookalike_domains_and_the_main_domain_itself() {
        assert_eq!(tenant_label("x.notexample.com", "example.com"), None);
        assert_eq!(tenant_label("notexample.com", "example.com"), None);
        assert_eq!(tenant_label("example.com", "example.com"), None);
        assert_eq!(
            tenant_label("acme.example.com.evil.io", "example.com"),
            None
        );
        assert_eq!(tenant_label("acme.example.com", ""), None);
    }

    #[test]
    fn hands_on_malformed_labels_for_validation() {
        assert_eq!(tenant_label(".example.com", "example.com"), Some(""));
        assert_eq!(tenant_label("...example.com", "example.com"), Some(".."));
        assert_eq!(tenant_label("a.b.example.com", "example.com"), Some("a.b"));
        assert_eq!(
            tenant_label("\u{e1}cme.example.com", "example.com"),
            Some("\u{e1}cme")
        );
    }
}
