//! tenant-api: multi-tenant API protected by Cognito JWTs.
