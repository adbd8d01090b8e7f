//! Reading a tenant from the Host header in subdomain mode.

use crate::config::strip_port;

/// The tenant label of `host` under `main_domain`: `acme` for `acme.api.example.com` under
/// `api.example.com`. Only a single whole label directly below the main domain counts, so
/// `x.notexample.com` is not under `example.com` and `a.b.example.com` names no tenant.
pub fn tenant_label<'h>(host: &'h str, main_domain: &str) -> Option<&'h str> {
    if main_domain.is_empty() {
        return None;
    }
    let host = strip_port(host).trim_end_matches('.');
    let prefix = host
        .len()
        .checked_sub(main_domain.len() + 1)
        .filter(|&cut| host.is_char_boundary(cut))
        .map(|cut| (&host[..cut], &host[cut..]))
        .filter(|(_, rest)| {
            rest.strip_prefix('.')
                .is_some_and(|domain| domain.eq_ignore_ascii_case(main_domain))
        })
        .map(|(prefix, _)| prefix)?;
    (!prefix.is_empty() && !prefix.contains('.')).then_some(prefix)
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
    fn refuses_lookalike_domains_and_nested_labels() {
        assert_eq!(tenant_label("x.notexample.com", "example.com"), None);
        assert_eq!(tenant_label("notexample.com", "example.com"), None);
        assert_eq!(tenant_label("example.com", "example.com"), None);
        assert_eq!(tenant_label("a.b.example.com", "example.com"), None);
        assert_eq!(tenant_label(".example.com", "example.com"), None);
        assert_eq!(
            tenant_label("acme.example.com.evil.io", "example.com"),
            None
        );
        assert_eq!(tenant_label("acme.example.com", ""), None);
    }
}
