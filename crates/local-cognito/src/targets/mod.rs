//! The Cognito operations (`X-Amz-Target`s): the [`Target`] enum, parsed from the header, and
//! one module per operation, each a request type, a response type and a `handle` function.

mod client_fields;
mod invitation;
mod views;

use std::future::Future;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::CognitoError;
use crate::service::Services;

/// The prefix every Cognito user pools target carries.
const SERVICE_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// Deserializes the body, runs the operation and serializes its answer.
async fn run<Req, Resp, Fut>(
    body: &[u8],
    handle: impl FnOnce(Req) -> Fut,
) -> Result<Value, CognitoError>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    Fut: Future<Output = Result<Resp, CognitoError>>,
{
    // SDKs send `{}` for empty input, but an empty body means the same thing.
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let request: Req = serde_json::from_slice(body)
        .map_err(|error| CognitoError::invalid_parameter(format!("Invalid request: {error}")))?;
    let response = handle(request).await?;
    serde_json::to_value(response).map_err(|error| {
        tracing::error!(%error, "response serialization failed");
        CognitoError::internal()
    })
}

macro_rules! targets {
    ($($name:ident => $module:ident),* $(,)?) => {
        $(mod $module;)*

        /// One implemented Cognito operation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Target {
            $(
                #[doc = concat!("`", stringify!($name), "`")]
                $name,
            )*
        }

        impl Target {
            /// Parses `AWSCognitoIdentityProviderService.<Operation>`; anything else is an
            /// `UnknownOperationException` naming what was asked for.
            pub(crate) fn parse(header: &str) -> Result<Self, CognitoError> {
                match header.strip_prefix(SERVICE_PREFIX) {
                    $(Some(stringify!($name)) => Ok(Self::$name),)*
                    _ => Err(CognitoError::new(
                        "UnknownOperationException",
                        format!("local-cognito does not implement the operation {header:?}"),
                    )),
                }
            }

            /// Runs the operation on a JSON body.
            pub(crate) async fn dispatch(self, services: &Services, body: &[u8]) -> Result<Value, CognitoError> {
                match self {
                    $(Self::$name => run(body, |request| $module::handle(services, request)).await,)*
                }
            }
        }
    };
}

targets! {
    CreateUserPool => create_user_pool,
    DescribeUserPool => describe_user_pool,
    ListUserPools => list_user_pools,
    CreateUserPoolClient => create_user_pool_client,
    DescribeUserPoolClient => describe_user_pool_client,
    UpdateUserPoolClient => update_user_pool_client,
    CreateUserPoolDomain => create_user_pool_domain,
    DescribeUserPoolDomain => describe_user_pool_domain,
    DeleteUserPoolDomain => delete_user_pool_domain,
    AdminCreateUser => admin_create_user,
    AdminGetUser => admin_get_user,
    ListUsers => list_users,
    AdminSetUserPassword => admin_set_user_password,
    AdminUpdateUserAttributes => admin_update_user_attributes,
    AdminDisableUser => admin_disable_user,
    AdminEnableUser => admin_enable_user,
    AdminDeleteUser => admin_delete_user,
    CreateGroup => create_group,
    AdminAddUserToGroup => admin_add_user_to_group,
    AdminRemoveUserFromGroup => admin_remove_user_from_group,
    AdminInitiateAuth => admin_initiate_auth,
    InitiateAuth => initiate_auth,
    AdminRespondToAuthChallenge => admin_respond_to_auth_challenge,
    RespondToAuthChallenge => respond_to_auth_challenge,
    GetUser => get_user,
    GlobalSignOut => global_sign_out,
    AdminUserGlobalSignOut => admin_user_global_sign_out,
    RevokeToken => revoke_token,
    GetTokensFromRefreshToken => get_tokens_from_refresh_token,
}

/// The empty JSON object most administrative operations answer with.
#[derive(Debug, Serialize)]
struct Empty {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_only_with_the_service_prefix() {
        assert_eq!(
            Target::parse("AWSCognitoIdentityProviderService.InitiateAuth"),
            Ok(Target::InitiateAuth)
        );
        let unknown =
            Target::parse("AWSCognitoIdentityProviderService.ForgotPassword").unwrap_err();
        assert_eq!(unknown.code, "UnknownOperationException");
        assert!(unknown.message.contains("ForgotPassword"));
        assert!(Target::parse("InitiateAuth").is_err());
    }
}
