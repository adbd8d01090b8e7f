//! Serving the router on a socket in a background task, with graceful shutdown.

use std::net::SocketAddr;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::error::Error;
use crate::LocalCognito;

/// A provider serving HTTP. Dropping it also starts a graceful stop, without waiting for it;
/// [`RunningIdp::shutdown`] waits.
#[derive(Debug)]
pub struct RunningIdp {
    addr: SocketAddr,
    base_url: String,
    exposure: String,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

pub(crate) async fn start(idp: LocalCognito, addr: SocketAddr) -> Result<RunningIdp, Error> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| Error::Bind { addr, source })?;
    let base_url = format!("http://{addr}");
    let exposure = idp.api_access.describe(addr);
    tracing::info!(%addr, "local-cognito: {exposure}");
    let router = idp
        .router(base_url.clone())
        .into_make_service_with_connect_info::<SocketAddr>();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
            // An explicit shutdown and a dropped handle both end the wait.
            let _ = stopped.await;
        });
        if let Err(error) = serve.await {
            tracing::error!(%error, "local-cognito server failed");
        }
    });
    Ok(RunningIdp {
        addr,
        base_url,
        exposure,
        stop,
        task,
    })
}

impl RunningIdp {
    /// The bound address (with the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://{addr}`, no trailing slash: the endpoint to give an AWS SDK.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// What this listener serves to whom (the JSON API's exposure), for start-up output.
    pub fn exposure(&self) -> &str {
        &self.exposure
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits for the server.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        if let Err(error) = self.task.await {
            tracing::error!(%error, "local-cognito server task failed");
        }
    }
}
