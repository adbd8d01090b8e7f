//! An embedded, Cognito-compatible identity provider.
