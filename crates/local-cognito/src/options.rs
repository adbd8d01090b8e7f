//! Start-up options: where state lives, the region in pool ids, the public URL and the clock.

use std::path::PathBuf;
use std::sync::Arc;

use crate::clock::{Clock, SystemClock};
use crate::exposure::ApiAccess;

/// How a [`crate::LocalCognito`] is opened.
#[derive(Clone)]
pub struct Options {
    /// Directory for the SQLite state file (created if missing). None = in-memory (tests).
    pub data_dir: Option<PathBuf>,
    /// Region used in pool ids (`<region>_<9 alnum>`), e.g. "us-east-1".
    pub region: String,
    /// Base URL put in `iss` (`{base}/{poolId}`) and the OpenID config. None = `http://{bound addr}`.
    pub public_url: Option<String>,
    /// Source of time for every expiry decision.
    pub clock: Arc<dyn Clock>,
    /// Who may call the JSON API from beyond loopback (the browser endpoints answer anyone).
    pub api_access: ApiAccess,
    /// Host names, besides loopback names, IP addresses and the host of `public_url`, under
    /// which the JSON API answers (say the service name other containers reach it by). Any
    /// other `Host` is refused, so a web page cannot reach the API through DNS rebinding.
    pub api_hosts: Vec<String>,
}

impl Options {
    /// In-memory state, region "us-east-1", the system clock.
    pub fn in_memory() -> Self {
        Self {
            data_dir: None,
            region: "us-east-1".to_owned(),
            public_url: None,
            clock: Arc::new(SystemClock),
            api_access: ApiAccess::default(),
            api_hosts: Vec::new(),
        }
    }

    /// State persisted under `dir`, region "us-east-1", the system clock.
    pub fn persistent(dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: Some(dir.into()),
            ..Self::in_memory()
        }
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("data_dir", &self.data_dir)
            .field("region", &self.region)
            .field("public_url", &self.public_url)
            .field("api_access", &self.api_access)
            .field("api_hosts", &self.api_hosts)
            .finish_non_exhaustive()
    }
}
