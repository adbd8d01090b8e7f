//! Binary entry point; everything lives in the library.

/// mimalloc instead of glibc's malloc: per-thread free lists without glibc's arena locks (the
/// allocator was a third of a list request's CPU), and freed memory, such as the embedded
/// identity provider's argon2 buffers, goes back to the system instead of staying in an arena.
/// Measured in `docs/benchmarks.md`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Builds the async runtime (`WORKER_THREADS` worker threads, one per core by default) and runs
/// the command line on it.
fn main() -> std::process::ExitCode {
    let runtime = tenant_api::config::worker_threads(&tenant_api::config::EnvSource::process())
        .map_err(anyhow::Error::from)
        .and_then(|threads| {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder.enable_all();
            if let Some(threads) = threads {
                builder.worker_threads(threads);
            }
            Ok(builder.build()?)
        });
    let outcome = match runtime {
        Ok(runtime) => runtime.block_on(tenant_api::cli::run()),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
