//! The invitation Cognito sends a user made by `AdminCreateUser`: Cognito's default message with
//! the username and temporary password, "delivered" to the outbox.

use crate::domain::user::User;
use crate::error::CognitoError;
use crate::service::Services;
use crate::store::OutboxMessage;

/// A delivery medium of `DesiredDeliveryMediums`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Medium {
    Email,
    Sms,
}

/// Cognito's default invitation subject.
const SUBJECT: &str = "Your temporary password";

/// Posts the invitation to each medium the user has a destination for. With no medium asked
/// for, Cognito's default is SMS; a user without a phone number gets it by email instead.
pub(super) async fn send(
    services: &Services,
    user: &User,
    temporary_password: &str,
    mediums: &[Medium],
) -> Result<(), CognitoError> {
    let phone = user.attributes.get("phone_number").map(String::as_str);
    let email = user.email();
    let chosen: Vec<Medium> = if mediums.is_empty() {
        vec![if phone.is_some() {
            Medium::Sms
        } else {
            Medium::Email
        }]
    } else {
        mediums.to_vec()
    };
    let shown_name = email
        .filter(|_| user.username == user.sub)
        .unwrap_or(&user.username);
    let body =
        format!("Your username is {shown_name} and temporary password is {temporary_password}.");
    for medium in chosen {
        let (name, destination, subject) = match medium {
            Medium::Email => ("EMAIL", email, SUBJECT),
            Medium::Sms => ("SMS", phone, ""),
        };
        let Some(destination) = destination else {
            continue;
        };
        let message = OutboxMessage {
            id: 0,
            pool_id: user.pool_id.clone(),
            username: user.username.clone(),
            medium: name.to_owned(),
            destination: destination.to_owned(),
            subject: subject.to_owned(),
            body: body.clone(),
            sent_at: services.now(),
        };
        services.store().post_message(&message).await?;
    }
    Ok(())
}
