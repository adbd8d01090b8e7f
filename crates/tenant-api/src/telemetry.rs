//! Logging: human-readable lines by default, JSON with `LOG_FORMAT=json`; `RUST_LOG` filters.
//! Colours only when standard output is a terminal (never in files, pipes or log collectors).

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber for the service (once; later calls are ignored): `info` and
/// above on standard output unless `RUST_LOG` says otherwise.
pub fn init(format: LogFormat) {
    install(format, "info", Output::Stdout);
}

/// Installs the global subscriber for a one-shot command (`users …`, `migrate`): its standard
/// output carries its result only, so logs go to standard error, warnings and errors only unless
/// `RUST_LOG` says otherwise (the embedded identity provider a command starts stays quiet).
pub fn init_for_command(format: LogFormat) {
    install(format, "warn", Output::Stderr);
}

#[derive(Clone, Copy)]
enum Output {
    Stdout,
    Stderr,
}

fn install(format: LogFormat, default_level: &str, output: Output) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = match output {
        Output::Stdout => {
            let builder = builder.with_ansi(std::io::stdout().is_terminal());
            match format {
                LogFormat::Json => builder.json().flatten_event(true).try_init(),
                LogFormat::Text => builder.try_init(),
            }
        }
        Output::Stderr => {
            let builder = builder
                .with_writer(std::io::stderr)
                .with_ansi(std::io::stderr().is_terminal());
            match format {
                LogFormat::Json => builder.json().flatten_event(true).try_init(),
                LogFormat::Text => builder.try_init(),
            }
        }
    };
}
